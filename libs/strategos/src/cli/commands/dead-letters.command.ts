import type { DeadLetter } from '../../dead-letters/dead-letter';
import { DeadLetters } from '../../dead-letters/dead-letters';
import type { CliCommand, CliIo } from '../cli-command.interface';
import { CliUsageError } from '../cli-usage.error';
import { BrokerConnection } from '../operations/broker-connection';
import { CliOperationError } from '../operations/cli-operation.error';
import {
  connectionSettings,
  OPERATION_OPTIONS,
  OPERATION_USAGE,
  wantsJson,
  type ConnectionSettings,
} from '../operations/connection-settings';
import { writeJson } from '../operations/json-output';
import { integerOption, stringOption } from '../operations/option-values';
import { PublishingTransport } from '../operations/publishing-transport';
import { StoreConnection } from '../operations/store-connection';
import { formatTable, type TableColumn } from '../operations/text-table';
import { parseCommandArgs, type CommandArgs } from '../parse-command-args';
import { ExitCode } from '../run-cli';

const OPTIONS = {
  ...OPERATION_OPTIONS,
  code: { type: 'string' },
  queue: { type: 'string' },
  limit: { type: 'string' },
  replay: { type: 'string' },
  discard: { type: 'string' },
} as const;

const COLUMNS: readonly TableColumn<DeadLetter>[] = [
  { header: 'id', value: (letter) => letter.id },
  { header: 'dead-lettered at', value: (letter) => letter.deadLetteredAt },
  { header: 'code', value: (letter) => letter.code },
  { header: 'queue', value: (letter) => letter.originalQueue },
  { header: 'type', value: (letter) => letter.type ?? '', maxWidth: 40 },
  { header: 'reason', value: (letter) => letter.reason, maxWidth: 60 },
];

/**
 * `strategos dead-letters`: the messages that could not be processed (oldest first, filtered by code and
 * original queue); `--replay <id>` publishes one again, unchanged, to its original queue and forgets it;
 * `--discard <id>` forgets one for good. With `--json`: `{ items }`, `{ replayed }` or `{ discarded }`.
 * @throws CliOperationError `DEAD_LETTER_NOT_FOUND`, `QUEUE_NOT_FOUND` (the original queue is gone), or a connection failure.
 */
export const deadLettersCommand: CliCommand = {
  name: 'dead-letters',
  summary: 'List, replay or discard the messages that could not be processed',
  usage: `strategos dead-letters [--code CODE] [--queue QUEUE] [--limit N] | --replay <id> | --discard <id>  ${OPERATION_USAGE}`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, OPTIONS);
    if (positionals.length > 0)
      throw new CliUsageError(`unexpected argument ${positionals[0]}; give a dead letter's id with --replay or --discard`);
    const replay = stringOption(values, 'replay');
    const discard = stringOption(values, 'discard');
    const filtered = ['code', 'queue', 'limit'].some((name) => values[name] !== undefined);
    if (replay !== undefined && discard !== undefined) throw new CliUsageError('give either --replay or --discard');
    if ((replay ?? discard) !== undefined && filtered)
      throw new CliUsageError('--code, --queue and --limit filter the listing; --replay and --discard take only an id');
    const settings = connectionSettings(values);
    if (replay !== undefined) return report(io, values, 'replayed', await replayLetter(settings, replay));
    if (discard !== undefined) return report(io, values, 'discarded', await discardLetter(settings, discard));
    return list(io, values, settings);
  },
};

async function list(io: CliIo, values: CommandArgs['values'], settings: ConnectionSettings): Promise<number> {
  const code = stringOption(values, 'code');
  const queue = stringOption(values, 'queue');
  const filter = {
    limit: integerOption(values, 'limit', { min: 1, max: 10_000 }, 100),
    ...(code !== undefined ? { code } : {}),
    ...(queue !== undefined ? { queue } : {}),
  };
  const items = await StoreConnection.use(settings, 'dead-letters', (store) => store.deadLetters.list(filter));
  if (wantsJson(values)) writeJson(io, { items });
  else io.stdout(items.length === 0 ? 'No dead letters match.\n' : formatTable(COLUMNS, items));
  return ExitCode.Success;
}

/** Checked in the store first, so that an unknown id fails before connecting to the broker. */
function replayLetter(settings: ConnectionSettings, id: string): Promise<DeadLetter> {
  return StoreConnection.use(settings, 'dead-letters', async (store) => {
    if (!(await store.deadLetters.get(id))) throw notFound(id);
    return BrokerConnection.use(settings, async (broker) => {
      try {
        return await new DeadLetters(store.deadLetters, new PublishingTransport(broker), async () => undefined).replay(id);
      } catch (error) {
        if ((error as { code?: unknown }).code !== 'QUEUE_NOT_FOUND') throw error;
        throw new CliOperationError(
          'QUEUE_NOT_FOUND',
          `${(error as Error).message}; dead letter ${id} is kept: replay it once a process has declared the queue again`,
          { cause: error },
        );
      }
    });
  });
}

function discardLetter(settings: ConnectionSettings, id: string): Promise<DeadLetter> {
  return StoreConnection.use(settings, 'dead-letters', async (store) => {
    const letter = await store.deadLetters.remove(id);
    if (!letter) throw notFound(id);
    return letter;
  });
}

function report(io: CliIo, values: CommandArgs['values'], outcome: 'replayed' | 'discarded', letter: DeadLetter): number {
  if (wantsJson(values)) writeJson(io, { [outcome]: letter });
  else if (outcome === 'replayed')
    io.stdout(
      `Replayed dead letter ${letter.id} (${letter.code}) to ${letter.originalQueue} as message ${letter.messageId ?? letter.id}\n`,
    );
  else io.stdout(`Discarded dead letter ${letter.id} (${letter.code}, from ${letter.originalQueue})\n`);
  return ExitCode.Success;
}

function notFound(id: string): CliOperationError {
  return new CliOperationError(
    'DEAD_LETTER_NOT_FOUND',
    `No dead letter ${id}; list them with \`strategos dead-letters\` (it may have been replayed or discarded already)`,
  );
}
