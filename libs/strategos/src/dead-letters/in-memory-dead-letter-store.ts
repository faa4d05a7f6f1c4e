import type { DeadLetter, DeadLetterFilter, DeadLetterPosition } from './dead-letter';
import type { DeadLetterStore } from './dead-letter-store.interface';

/** Dead letters in memory (the test harness, the demo fallback). */
export class InMemoryDeadLetterStore implements DeadLetterStore {
  private readonly letters = new Map<string, DeadLetter>();

  async migrate(): Promise<void> {}

  async add(letter: DeadLetter): Promise<void> {
    if (!this.letters.has(letter.id)) this.letters.set(letter.id, structuredClone(letter));
  }

  async list(filter: DeadLetterFilter): Promise<DeadLetter[]> {
    return [...this.letters.values()]
      .filter(
        (letter) =>
          (filter.code === undefined || letter.code === filter.code) &&
          (filter.queue === undefined || letter.originalQueue === filter.queue) &&
          (filter.after === undefined || comparePositions(letter, filter.after) > 0),
      )
      .sort(comparePositions)
      .slice(0, filter.limit ?? 100)
      .map((letter) => structuredClone(letter));
  }

  async get(id: string): Promise<DeadLetter | null> {
    const letter = this.letters.get(id);
    return letter ? structuredClone(letter) : null;
  }

  async remove(id: string): Promise<DeadLetter | null> {
    const letter = this.letters.get(id) ?? null;
    this.letters.delete(id);
    return letter;
  }

  async close(): Promise<void> {}
}

/** Oldest first, then by id (the PostgreSQL store's order). */
function comparePositions(a: DeadLetterPosition, b: DeadLetterPosition): number {
  const byTime = Date.parse(a.deadLetteredAt) - Date.parse(b.deadLetteredAt);
  return byTime !== 0 ? byTime : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
