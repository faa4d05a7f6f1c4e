/** Error code of a signal wait whose timeout passed with no `onTimeout` path. */
export const SIGNAL_TIMEOUT = 'SIGNAL_TIMEOUT';
/** Error code of an approval rejected with no `onRejection` path. */
export const APPROVAL_REJECTED = 'APPROVAL_REJECTED';
/** Cancel reason and error code of a run past its workflow deadline. */
export const DEADLINE_EXCEEDED = 'DEADLINE_EXCEEDED';
/** Refusal code of a signal to a run that is not running forward (finished, cancelling, compensating). */
export const SIGNAL_NOT_ACCEPTED = 'SIGNAL_NOT_ACCEPTED';
/** Refusal code of a signal whose name no wait of the workflow has. */
export const UNKNOWN_SIGNAL = 'UNKNOWN_SIGNAL';
/** Refusal code of a signal whose payload fails its class's validation (the run keeps waiting). */
export const INVALID_SIGNAL_PAYLOAD = 'INVALID_SIGNAL_PAYLOAD';
