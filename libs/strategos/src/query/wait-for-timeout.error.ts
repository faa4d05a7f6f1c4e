/**
 * `waitFor` gave up before the workflow reached a terminal status. When its last read of the store failed
 * (the database was down until the deadline), `cause` is that store error and the message names it:
 * the workflow may well have finished, but this process could not see it.
 */
export class WaitForTimeoutError extends Error {
  override readonly name = 'WaitForTimeoutError';
  readonly code = 'WAIT_FOR_TIMEOUT';

  /**
   * @param lastPhase the phase of the last successful read, if any.
   * @param storeFailure the transient error of the last read, when the store was failing at the deadline.
   */
  constructor(
    readonly workflowId: string,
    readonly timeoutMs: number,
    readonly lastPhase: string | undefined,
    storeFailure?: unknown,
  ) {
    super(
      `Workflow ${workflowId} did not finish within ${timeoutMs} ms (last phase: ${lastPhase ?? 'unknown'})` +
        (storeFailure === undefined ? '' : `; the store could not be read: ${describe(storeFailure)}`),
      storeFailure === undefined ? undefined : { cause: storeFailure },
    );
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  const message = error.message || error.name;
  return typeof code === 'string' && !message.includes(code) ? `${message} (${code})` : message;
}
