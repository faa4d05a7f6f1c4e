import type { CliCommand } from '../cli-command.interface';
import { CliUsageError } from '../cli-usage.error';
import { connectionSettings, OPERATION_OPTIONS, OPERATION_USAGE, wantsJson } from '../operations/connection-settings';
import { controlOutcomeText, WAIT_OPTION, WAIT_USAGE, waitMs } from '../operations/control-outcome';
import { sendControlRequest } from '../operations/control-request';
import { writeJson } from '../operations/json-output';
import { stringOption } from '../operations/option-values';
import { parseCommandArgs } from '../parse-command-args';
import { ExitCode } from '../run-cli';

const OPTIONS = { ...OPERATION_OPTIONS, ...WAIT_OPTION, reason: { type: 'string' } } as const;

/**
 * `strategos cancel <workflowId> [--reason text]`: asks the processes serving the workflow to cancel a
 * running instance (through its control queue), and waits until the `CancelRequested` event is recorded.
 * When the current step had not started, it never runs and compensation starts at once; when it had, it
 * finishes first. Either way the completed steps are compensated and the instance ends `cancelled`; the
 * output says which case applied.
 * @throws WorkflowNotFoundError `WORKFLOW_NOT_FOUND`; TransitionRejectedError `WORKFLOW_NOT_RUNNING`,
 * `WORKFLOW_ALREADY_CANCELLING`; CliOperationError `NO_CONTROL_RESPONSE`, `QUEUE_NOT_FOUND`, or a connection failure.
 */
export const cancelCommand: CliCommand = {
  name: 'cancel',
  summary: 'Cancel a running workflow instance (its completed steps are compensated)',
  usage: `strategos cancel <workflowId> [--reason TEXT] ${WAIT_USAGE} ${OPERATION_USAGE}`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, OPTIONS);
    const [workflowId, ...extra] = positionals;
    if (workflowId === undefined || extra.length > 0) throw new CliUsageError('pass one workflow id (quote a --reason with spaces)');
    const reason = stringOption(values, 'reason');
    const settings = connectionSettings(values);
    const outcome = await sendControlRequest(settings, {
      action: 'cancel',
      workflowId,
      waitMs: waitMs(values),
      ...(reason !== undefined ? { reason } : {}),
    });
    if (wantsJson(values)) writeJson(io, outcome);
    else io.stdout(controlOutcomeText(outcome, settings));
    return ExitCode.Success;
  },
};
