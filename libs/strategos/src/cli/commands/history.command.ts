import { WorkflowNotFoundError } from '../../client/workflow-not-found.error';
import type { HistoryEntry } from '../../query/workflow-view';
import type { CliCommand } from '../cli-command.interface';
import { CliUsageError } from '../cli-usage.error';
import { connectionSettings, OPERATION_OPTIONS, OPERATION_USAGE, wantsJson } from '../operations/connection-settings';
import { summariseData } from '../operations/data-summary';
import { writeJson } from '../operations/json-output';
import { StoreConnection } from '../operations/store-connection';
import { formatTable, type TableColumn } from '../operations/text-table';
import { parseCommandArgs } from '../parse-command-args';
import { ExitCode } from '../run-cli';

const COLUMNS: readonly TableColumn<HistoryEntry>[] = [
  { header: 'seq', value: (entry) => String(entry.sequence) },
  { header: 'timestamp', value: (entry) => entry.timestamp.toISOString() },
  { header: 'type', value: (entry) => entry.type },
  { header: 'data', value: (entry) => summariseData(entry.data) },
];

/**
 * `strategos history <workflowId>`: the instance's audit trail in order, one event per line with a compact
 * summary of its data; with `--json`, `{ workflowId, workflow, events }` with the whole data.
 * @throws WorkflowNotFoundError `WORKFLOW_NOT_FOUND`; CliOperationError for an unreachable store.
 */
export const historyCommand: CliCommand = {
  name: 'history',
  summary: 'Show the audit trail of a workflow instance: every event, in order',
  usage: `strategos history <workflowId> ${OPERATION_USAGE}`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, OPERATION_OPTIONS);
    const [workflowId, ...extra] = positionals;
    if (workflowId === undefined || extra.length > 0) throw new CliUsageError('pass one workflow id');
    const { instance, events } = await StoreConnection.use(connectionSettings(values), 'workflows', async (store) => ({
      instance: await store.workflows.load(workflowId),
      events: await store.query.history(workflowId),
    }));
    if (!instance) throw new WorkflowNotFoundError(workflowId);
    if (wantsJson(values)) writeJson(io, { workflowId, workflow: instance.workflowName, events });
    else io.stdout(formatTable(COLUMNS, events));
    return ExitCode.Success;
  },
};
