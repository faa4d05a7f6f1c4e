import type { WorkflowStatus } from '../../engine/workflow-instance';
import type { WorkflowView } from '../../query/workflow-view';
import type { CliCommand } from '../cli-command.interface';
import { CliUsageError } from '../cli-usage.error';
import { connectionSettings, OPERATION_OPTIONS, OPERATION_USAGE, wantsJson } from '../operations/connection-settings';
import { writeJson } from '../operations/json-output';
import { integerOption, stringListOption, stringOption } from '../operations/option-values';
import { StoreConnection } from '../operations/store-connection';
import { formatTable, type TableColumn } from '../operations/text-table';
import { parseCommandArgs } from '../parse-command-args';
import { ExitCode } from '../run-cli';

const OPTIONS = {
  ...OPERATION_OPTIONS,
  status: { type: 'string', multiple: true },
  workflow: { type: 'string' },
  phase: { type: 'string' },
  limit: { type: 'string' },
  cursor: { type: 'string' },
} as const;

const COLUMNS: readonly TableColumn<WorkflowView>[] = [
  { header: 'workflow id', value: (view) => view.workflowId },
  { header: 'workflow', value: (view) => view.workflow },
  { header: 'status', value: (view) => view.status },
  { header: 'phase', value: (view) => view.phase },
  { header: 'error', value: (view) => view.error?.code ?? '', maxWidth: 40 },
  { header: 'started at', value: (view) => view.startedAt.toISOString() },
  { header: 'updated at', value: (view) => view.updatedAt.toISOString() },
];

/**
 * `strategos list`: a page of instances (oldest start first), filtered by status, workflow and phase, as
 * a table followed by the cursor of the next page; with `--json`, `{ items, nextCursor? }` with whole views.
 * @throws InvalidListQueryError `INVALID_LIST_QUERY` (an unknown status, a foreign cursor); CliOperationError for an unreachable store.
 */
export const listCommand: CliCommand = {
  name: 'list',
  summary: 'List workflow instances by status (or waiting: parked at a signal or timer), workflow and phase, a page at a time',
  usage: `strategos list [--status STATUS[,STATUS]] [--workflow NAME] [--phase PHASE] [--limit N] [--cursor CURSOR] ${OPERATION_USAGE}`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, OPTIONS);
    if (positionals.length > 0)
      throw new CliUsageError(`unexpected argument ${positionals[0]}; filter with --status, --workflow and --phase`);
    const statuses = stringListOption(values, 'status') as (WorkflowStatus | 'waiting')[] | undefined;
    const workflow = stringOption(values, 'workflow');
    const phase = stringOption(values, 'phase');
    const cursor = stringOption(values, 'cursor');
    const filter = {
      limit: integerOption(values, 'limit', { min: 1, max: 500 }, 50),
      ...(statuses !== undefined ? { status: statuses } : {}),
      ...(workflow !== undefined ? { workflow } : {}),
      ...(phase !== undefined ? { phase } : {}),
      ...(cursor !== undefined ? { cursor } : {}),
    };
    const page = await StoreConnection.use(connectionSettings(values), 'workflows', (store) => store.query.list(filter));
    if (wantsJson(values)) {
      writeJson(io, page);
      return ExitCode.Success;
    }
    if (page.items.length === 0) io.stdout(cursor === undefined ? 'No workflow instances match.\n' : 'No more workflow instances match.\n');
    else io.stdout(formatTable(COLUMNS, page.items));
    if (page.nextCursor !== undefined) io.stdout(`\nNext page: --cursor ${page.nextCursor} (with the same filters)\n`);
    return ExitCode.Success;
  },
};
