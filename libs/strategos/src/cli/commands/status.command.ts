import { WorkflowNotFoundError } from '../../client/workflow-not-found.error';
import type { WorkflowView } from '../../query/workflow-view';
import type { CliCommand } from '../cli-command.interface';
import { CliUsageError } from '../cli-usage.error';
import { connectionSettings, OPERATION_OPTIONS, OPERATION_USAGE, wantsJson } from '../operations/connection-settings';
import { formatFields } from '../operations/field-list';
import { writeJson } from '../operations/json-output';
import { StoreConnection } from '../operations/store-connection';
import { recordedErrorText, timestampText } from '../operations/workflow-view-text';
import { parseCommandArgs } from '../parse-command-args';
import { ExitCode } from '../run-cli';

/**
 * `strategos status <workflowId>`: the instance's view (workflow, phase, status, error, times) as fields,
 * or with `--json` the whole view, state included.
 * @throws WorkflowNotFoundError `WORKFLOW_NOT_FOUND`; CliOperationError for an unreachable store.
 */
export const statusCommand: CliCommand = {
  name: 'status',
  summary: 'Show where a workflow instance stands: workflow, phase, status, error and times',
  usage: `strategos status <workflowId> ${OPERATION_USAGE}`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, OPERATION_OPTIONS);
    const [workflowId, ...extra] = positionals;
    if (workflowId === undefined || extra.length > 0) throw new CliUsageError('pass one workflow id');
    const settings = connectionSettings(values);
    const view = await StoreConnection.use(settings, 'workflows', (store) => store.query.get(workflowId));
    if (!view) throw new WorkflowNotFoundError(workflowId);
    if (wantsJson(values)) writeJson(io, view);
    else io.stdout(statusText(view));
    return ExitCode.Success;
  },
};

/** The view as aligned fields; the state is left to `--json`. */
function statusText(view: WorkflowView): string {
  return formatFields([
    ['workflowId', view.workflowId],
    ['workflow', view.workflow],
    ['phase', view.phase],
    ['status', view.status],
    ['error', view.error && recordedErrorText(view.error)],
    ['compensationError', view.compensationError && recordedErrorText(view.compensationError)],
    ['cancelReason', view.cancelReason],
    ['startedAt', timestampText(view.startedAt)],
    ['updatedAt', timestampText(view.updatedAt)],
    ['completedAt', timestampText(view.completedAt)],
    ['estimatedCompletionAt', timestampText(view.estimatedCompletionAt)],
  ]);
}
