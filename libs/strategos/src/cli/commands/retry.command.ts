import type { CliCommand } from '../cli-command.interface';
import { CliUsageError } from '../cli-usage.error';
import { connectionSettings, OPERATION_OPTIONS, OPERATION_USAGE, wantsJson } from '../operations/connection-settings';
import { controlOutcomeText, WAIT_OPTION, WAIT_USAGE, waitMs } from '../operations/control-outcome';
import { sendControlRequest } from '../operations/control-request';
import { writeJson } from '../operations/json-output';
import { parseCommandArgs } from '../parse-command-args';
import { ExitCode } from '../run-cli';

const OPTIONS = { ...OPERATION_OPTIONS, ...WAIT_OPTION } as const;

/**
 * `strategos retry <workflowId>`: asks the processes serving the workflow to resume a failed instance from
 * the step that failed (through its control queue), and waits until the `Retried` event is recorded.
 * @throws WorkflowNotFoundError `WORKFLOW_NOT_FOUND`; TransitionRejectedError `WORKFLOW_NOT_RETRYABLE`;
 * CliOperationError `NO_CONTROL_RESPONSE`, `QUEUE_NOT_FOUND`, or a connection failure.
 */
export const retryCommand: CliCommand = {
  name: 'retry',
  summary: 'Resume a failed workflow instance from the step that failed',
  usage: `strategos retry <workflowId> ${WAIT_USAGE} ${OPERATION_USAGE}`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, OPTIONS);
    const [workflowId, ...extra] = positionals;
    if (workflowId === undefined || extra.length > 0) throw new CliUsageError('pass one workflow id');
    const settings = connectionSettings(values);
    const outcome = await sendControlRequest(settings, { action: 'retry', workflowId, waitMs: waitMs(values) });
    if (wantsJson(values)) writeJson(io, outcome);
    else io.stdout(controlOutcomeText(outcome, settings));
    return ExitCode.Success;
  },
};
