/** A step returned an update that cannot be applied (for example one that changes `workflowId`). */
export class StateUpdateError extends Error {
  override readonly name = 'StateUpdateError';

  constructor(
    readonly code: 'STATE_WORKFLOW_ID_CHANGED' | 'STATE_NOT_SERIALIZABLE',
    message: string,
  ) {
    super(message);
  }
}
