import type { DeadLetter, DeadLetterFilter } from './dead-letter';
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
          (filter.queue === undefined || letter.originalQueue === filter.queue),
      )
      .sort((a, b) => a.deadLetteredAt.localeCompare(b.deadLetteredAt))
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
