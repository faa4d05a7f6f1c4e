import { randomUUID } from 'node:crypto';
import type { CliCommand } from '../cli-command.interface';
import { CliUsageError } from '../cli-usage.error';
import { connectionSettings, OPERATION_OPTIONS, OPERATION_USAGE, statusCommandLine, wantsJson } from '../operations/connection-settings';
import { WAIT_OPTION, WAIT_USAGE, waitMs } from '../operations/control-outcome';
import { writeJson } from '../operations/json-output';
import { stringOption } from '../operations/option-values';
import { sendSignalRequest } from '../operations/signal-request';
import { parseCommandArgs } from '../parse-command-args';
import { ExitCode } from '../run-cli';

const OPTIONS = { ...OPERATION_OPTIONS, ...WAIT_OPTION, data: { type: 'string' }, 'signal-id': { type: 'string' } } as const;

/**
 * `strategos signal <workflowId> <name> [--data JSON] [--signal-id ID]`: sends a signal to a run (through its control
 * queue) and waits until a process accepted it (`SignalReceived`: applied at the wait, or kept for it).
 * @throws CliUsageError for `--data` that is not a JSON object; the refusals of {@link sendSignalRequest}.
 */
export const signalCommand: CliCommand = {
  name: 'signal',
  summary: 'Send a signal to a workflow instance (awaitSignal / awaitApproval)',
  usage: `strategos signal <workflowId> <name> [--data JSON] [--signal-id ID] ${WAIT_USAGE} ${OPERATION_USAGE}`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, OPTIONS);
    const [workflowId, name, ...extra] = positionals;
    if (workflowId === undefined || name === undefined || extra.length > 0) {
      throw new CliUsageError('pass a workflow id and a signal name (quote --data JSON)');
    }
    const payload = parseData(stringOption(values, 'data'));
    const settings = connectionSettings(values);
    const outcome = await sendSignalRequest(settings, {
      workflowId,
      name,
      payload,
      signalId: stringOption(values, 'signal-id') ?? randomUUID(),
      waitMs: waitMs(values),
    });
    if (wantsJson(values)) writeJson(io, outcome);
    else {
      const what = !outcome.event
        ? `sent to ${outcome.queue}; not waiting for it (--wait-ms 0)`
        : outcome.event.data.stored === true
          ? 'received and kept: the run applies it when it reaches the wait'
          : 'received and applied';
      io.stdout(
        [
          `Signal ${outcome.signal} (${outcome.signalId}) for ${outcome.workflowId} (${outcome.workflow}) ${what}.`,
          `Now ${outcome.view.status}, phase ${outcome.view.phase}.`,
          `Follow it with: ${statusCommandLine(outcome.workflowId, settings)}`,
          '',
        ].join('\n'),
      );
    }
    return ExitCode.Success;
  },
};

function parseData(data: string | undefined): Record<string, unknown> {
  if (data === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch (error) {
    throw new CliUsageError(`--data is not JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new CliUsageError('--data must be a JSON object');
  return parsed as Record<string, unknown>;
}
