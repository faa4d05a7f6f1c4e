/**
 * Whether an AMQP topic binding pattern matches a routing key: words are separated by `.`, `*` matches
 * exactly one word and `#` zero or more words (`process-order.#` matches `process-order` and
 * `process-order.Completed`).
 */
export function routingKeyMatches(pattern: string, routingKey: string): boolean {
  return matchWords(pattern.split('.'), 0, routingKey.split('.'), 0);
}

function matchWords(pattern: readonly string[], p: number, key: readonly string[], k: number): boolean {
  if (p === pattern.length) return k === key.length;
  const word = pattern[p];
  if (word === '#') {
    // `#` absorbs zero words, or one word and stays in place.
    return matchWords(pattern, p + 1, key, k) || (k < key.length && matchWords(pattern, p, key, k + 1));
  }
  if (k === key.length) return false;
  return (word === '*' || word === key[k]) && matchWords(pattern, p + 1, key, k + 1);
}

/** Whether a pattern uses topic wildcards (`*` or `#` as a word). */
export function isWildcardPattern(pattern: string): boolean {
  return pattern.split('.').some((word) => word === '*' || word === '#');
}
