/** No workflow instance has this id. */
export class WorkflowNotFoundError extends Error {
  override readonly name = 'WorkflowNotFoundError';
  readonly code = 'WORKFLOW_NOT_FOUND';

  constructor(readonly workflowId: string) {
    super(`No workflow instance ${workflowId}; check the id (it is the workflowId given to start)`);
  }
}
