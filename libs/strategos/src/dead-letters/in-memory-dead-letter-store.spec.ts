import type { DeadLetter } from './dead-letter';
import { InMemoryDeadLetterStore } from './in-memory-dead-letter-store';

const letter = (id: string, deadLetteredAt: string): DeadLetter => ({
  id,
  originalQueue: 'q',
  code: 'INVALID_COMMAND',
  reason: 'r',
  messageId: null,
  type: null,
  headers: {},
  body: '{}',
  deadLetteredAt,
});

describe('InMemoryDeadLetterStore', () => {
  it('lists oldest first, then by id, and pages after a given letter', async () => {
    const store = new InMemoryDeadLetterStore();
    await store.add(letter('b', '2026-01-01T00:00:01.000Z'));
    await store.add(letter('c', '2026-01-01T00:00:00.000Z'));
    await store.add(letter('a', '2026-01-01T00:00:01.000Z'));
    const ids = async (filter: Parameters<InMemoryDeadLetterStore['list']>[0]) => (await store.list(filter)).map((entry) => entry.id);
    expect(await ids({})).toEqual(['c', 'a', 'b']);
    expect(await ids({ limit: 2 })).toEqual(['c', 'a']);
    expect(await ids({ after: { deadLetteredAt: '2026-01-01T00:00:01.000Z', id: 'a' } })).toEqual(['b']);
    expect(await ids({ after: { deadLetteredAt: '2026-01-01T00:00:00.000Z', id: 'c' }, limit: 1 })).toEqual(['a']);
  });
});
