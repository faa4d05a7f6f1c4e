import { WorkflowNotFoundError } from '../../client/workflow-not-found.error';
import type { WorkflowView } from '../../query/workflow-view';
import type { CliCommand } from '../cli-command.interface';
import { CliUsageError } from '../cli-usage.error';
import { StallDetector, type StalledRun } from '../../query/stall-detector';
import { BrokerConnection } from '../operations/broker-connection';
import {
  connectionSettings,
  OPERATION_OPTIONS,
  OPERATION_USAGE,
  wantsJson,
  type ConnectionSettings,
} from '../operations/connection-settings';
import { integerOption } from '../operations/option-values';
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
  usage: `strategos status <workflowId> [--stalled-after-ms MS] ${OPERATION_USAGE}`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { ...OPERATION_OPTIONS, 'stalled-after-ms': { type: 'string' } });
    const [workflowId, ...extra] = positionals;
    if (workflowId === undefined || extra.length > 0) throw new CliUsageError('pass one workflow id');
    const settings = connectionSettings(values);
    const found = await StoreConnection.use(settings, 'workflows', (store) => store.query.get(workflowId));
    if (!found) throw new WorkflowNotFoundError(workflowId);
    const stalled = await stalledRun(found, settings, integerOption(values, 'stalled-after-ms', { min: 1, max: 86_400_000 }, 60_000));
    const view: WorkflowView = stalled ? { ...found, stalled, estimatedCompletionAt: undefined } : found;
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
    ['stalled', view.stalled && `since ${timestampText(view.stalled.since)}: ${view.stalled.reason}`],
  ]);
}

/**
 * Whether a running instance that has not moved for `afterMs` waits on a step queue that nothing consumes;
 * asks the broker only then. An unreachable broker leaves the question open (undefined).
 */
async function stalledRun(view: WorkflowView, settings: ConnectionSettings, afterMs: number): Promise<StalledRun | undefined> {
  if (view.status !== 'running' || Date.now() - view.updatedAt.getTime() <= afterMs) return undefined;
  const instance = { status: view.status, updatedAt: view.updatedAt.toISOString(), workflowName: view.workflow, phase: view.phase };
  try {
    return await BrokerConnection.use(settings, (broker) =>
      new StallDetector({ consumers: broker, namespace: settings.namespace, afterMs }, { find: () => undefined }).check(
        instance,
        Date.now(),
      ),
    );
  } catch {
    return undefined;
  }
}
