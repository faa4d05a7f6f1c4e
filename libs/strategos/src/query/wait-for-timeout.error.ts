/** `waitFor` gave up before the workflow reached a terminal status. */
export class WaitForTimeoutError extends Error {
  override readonly name = 'WaitForTimeoutError';
  readonly code = 'WAIT_FOR_TIMEOUT';

  constructor(
    readonly workflowId: string,
    readonly timeoutMs: number,
    readonly lastPhase: string | undefined,
  ) {
    super(`Workflow ${workflowId} did not finish within ${timeoutMs} ms (last phase: ${lastPhase ?? 'unknown'})`);
  }
}
