/**
 * Objects frozen at every depth by {@link deepFreeze} (or being frozen by the current call). A frozen
 * object's properties never change, so such an object stays frozen at every depth: a later call skips
 * it. States built from a previous state share its unchanged parts, so freezing the next state walks
 * only what the step changed.
 */
const deeplyFrozen = new WeakSet<object>();

/**
 * Freezes a value at every depth so that a step cannot mutate the state it receives
 * (in strict mode a write throws a `TypeError`). Descends into objects that are already
 * frozen, since a shallow `Object.freeze` leaves their children writable.
 */
export function deepFreeze<T>(value: T): Readonly<T> {
  freezeEachDepth(value);
  return value;
}

function freezeEachDepth(value: unknown): void {
  if (value === null || typeof value !== 'object' || deeplyFrozen.has(value)) return;
  // Marked before descending, so that a cycle ends here; unmarked again if freezing fails below.
  deeplyFrozen.add(value);
  try {
    Object.freeze(value);
    for (const key of Object.keys(value)) freezeEachDepth((value as Record<string, unknown>)[key]);
  } catch (error) {
    deeplyFrozen.delete(value);
    throw error;
  }
}
