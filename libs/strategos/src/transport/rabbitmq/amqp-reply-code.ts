/** AMQP reply codes the transport reacts to. */
export const AmqpReplyCode = {
  /** A queue or exchange that does not exist. */
  NotFound: 404,
  /** A declaration that conflicts with what exists. */
  PreconditionFailed: 406,
} as const;

/** Whether `error` is amqplib's report of a channel closed by the broker with this reply code. */
export function hasReplyCode(error: unknown, code: number): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === code;
}
