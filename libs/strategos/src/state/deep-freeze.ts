/**
 * Freezes a value at every depth so that a step cannot mutate the state it receives
 * (in strict mode a write throws a `TypeError`). Descends into objects that are already
 * frozen, since a shallow `Object.freeze` leaves their children writable.
 */
export function deepFreeze<T>(value: T): Readonly<T> {
  freezeEachDepth(value, new WeakSet());
  return value;
}

function freezeEachDepth(value: unknown, visited: WeakSet<object>): void {
  if (value === null || typeof value !== 'object' || visited.has(value)) return;
  visited.add(value);
  Object.freeze(value);
  for (const key of Object.keys(value)) {
    freezeEachDepth((value as Record<string, unknown>)[key], visited);
  }
}
