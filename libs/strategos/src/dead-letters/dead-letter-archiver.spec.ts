import type { IncomingMessage } from '../transport/transport.interface';
import { DeadLetterArchiver, toDeadLetter } from './dead-letter-archiver';
import type { DeadLetter } from './dead-letter';
import { InMemoryDeadLetterStore } from './in-memory-dead-letter-store';

function message(content: Buffer, headers: Record<string, unknown> = {}): IncomingMessage {
  return {
    queue: 'ns.dead-letter',
    body: content.toString('utf8'),
    content,
    messageId: 'm-1',
    type: undefined,
    headers,
    redelivered: false,
  };
}

describe('DeadLetterArchiver', () => {
  it('keeps the exact bytes of a body that is not plain text, and any header as storable text', () => {
    const bytes = Buffer.from([0x00, 0xff, 0x41]);
    const letter = toDeadLetter(
      message(bytes, {
        'x-strategos-dead-lettered-at': 'not a date',
        'x-strategos-dead-letter-code': 'A\u0000B',
        'x-\u0000': Buffer.from('v\u0000'),
        table: { deep: [1, 2] },
        when: new Date(0),
      }),
      new Date('2026-01-01T00:00:00.000Z'),
    );
    expect(letter.content?.equals(bytes)).toBe(true);
    expect(letter.deadLetteredAt).toBe('2026-01-01T00:00:00.000Z');
    expect(letter.code).toBe('A\uFFFDB');
    expect(letter.headers).toMatchObject({ 'x-\uFFFD': 'v\uFFFD', table: '{"deep":[1,2]}', when: '1970-01-01T00:00:00.000Z' });
    expect(JSON.stringify(letter.headers)).not.toContain('\\u0000');
  });

  it('stores a plain body as text only', () => {
    expect(toDeadLetter(message(Buffer.from('{"a":1}'))).content).toBeUndefined();
  });

  it('leaves a message it cannot store on the queue, with a pause, never acknowledging it', async () => {
    const store = new InMemoryDeadLetterStore();
    store.add = async (_letter: DeadLetter) => {
      throw new Error('store down');
    };
    const archiver = new DeadLetterArchiver(store);
    const started = Date.now();
    await expect(archiver.handle(message(Buffer.from('{}')))).resolves.toEqual({ kind: 'requeue' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
  });
});
