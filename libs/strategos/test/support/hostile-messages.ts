import * as amqp from 'amqplib';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';

/** One piece of junk for one queue; `messageId` (the AMQP property) finds its dead letter. */
export interface Junk {
  readonly label: string;
  readonly queue: string;
  readonly messageId: string;
  readonly content: Buffer;
  readonly headers?: Record<string, unknown>;
}

const VALID_TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

/** A body nested `levels` deep: `{"a":{"a":…}}`. */
export function nested(levels: number): string {
  return `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
}

/** JSON text with bytes that are not UTF-8 (0xff 0xfe) inside the string value of `field`. */
export function invalidUtf8In(body: Record<string, unknown>, field: string): Buffer {
  const marker = `@@${randomUUID()}@@`;
  const text = JSON.stringify({ ...body, [field]: marker });
  const [before, after] = text.split(marker);
  return Buffer.concat([Buffer.from(before), Buffer.from([0xff, 0xfe, 0x41]), Buffer.from(after)]);
}

/**
 * The junk every consumed queue gets: not JSON, empty, 10 MB, nested 5,000 levels, wrong types, NUL characters and
 * invalid UTF-8 in each string field of `template`, unknown names, oversized and malformed headers.
 */
export function junkFor(
  queue: string,
  template: Record<string, unknown>,
  wrongTypes: Record<string, unknown>,
  unknownNames: Record<string, unknown>,
  skipNulFields: readonly string[] = [],
): Junk[] {
  const junk: { label: string; content: Buffer | string; headers?: Record<string, unknown> }[] = [
    { label: 'not JSON', content: 'this is not { json' },
    { label: 'empty', content: '' },
    { label: 'JSON but not an object', content: '[1,2,3]' },
    { label: '10 MB', content: JSON.stringify({ ...template, padding: 'x'.repeat(10 * 1024 * 1024) }) },
    { label: 'nested 5,000 levels', content: nested(5_000) },
    { label: 'nested 100,000 levels (arrays)', content: `${'['.repeat(100_000)}${']'.repeat(100_000)}` },
    { label: 'wrong types', content: JSON.stringify({ ...template, ...wrongTypes }) },
    { label: 'unknown names', content: JSON.stringify({ ...template, ...unknownNames }) },
    { label: 'a 20 KB header', content: JSON.stringify(template), headers: { 'x-junk': 'j'.repeat(20_000) } },
    {
      label: 'a 20 KB traceparent header',
      content: JSON.stringify(template),
      headers: { traceparent: `${VALID_TRACEPARENT}${'0'.repeat(20_000)}` },
    },
    {
      label: 'a malformed traceparent header and wrong types',
      content: JSON.stringify({ ...template, ...wrongTypes }),
      headers: { traceparent: 'garbage\u0000', 'x-strategos-attempt': 'NaN' },
    },
  ];
  for (const [field, value] of Object.entries(template)) {
    if (typeof value !== 'string' || skipNulFields.includes(field)) continue;
    junk.push({ label: `NUL in ${field}`, content: JSON.stringify({ ...template, [field]: `${value}\u0000` }) });
    junk.push({ label: `invalid UTF-8 in ${field}`, content: invalidUtf8In(template, field) });
  }
  return junk.map((item) => ({
    label: `${queue}: ${item.label}`,
    queue,
    messageId: `junk-${randomUUID()}`,
    content: Buffer.isBuffer(item.content) ? item.content : Buffer.from(item.content),
    headers: item.headers,
  }));
}

/** Publishes junk with confirms, as a hostile producer on its own connection. */
export async function sendJunk(url: string, junk: readonly Junk[]): Promise<void> {
  const connection = await amqp.connect(url);
  connection.on('error', () => undefined);
  try {
    const channel = await connection.createConfirmChannel();
    for (const item of junk)
      channel.sendToQueue(item.queue, item.content, { persistent: true, messageId: item.messageId, headers: item.headers });
    await channel.waitForConfirms();
  } finally {
    await connection.close().catch(() => undefined);
  }
}

/**
 * Waits until every junk message is in the dead-letter store (`<schema>.dead_letters`) with a code; returns the code
 * of each by message id. Reads only ids and codes: some bodies are 10 MB.
 */
export async function waitForDeadLetters(
  databaseUrl: string,
  schema: string,
  junk: readonly Junk[],
  timeoutMs: number,
): Promise<Map<string, string>> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { rows } = await client.query<{ message_id: string; code: string }>(
        `SELECT message_id, code FROM "${schema}".dead_letters WHERE message_id LIKE 'junk-%'`,
      );
      const codes = new Map(rows.map((row) => [row.message_id, row.code]));
      const missing = junk.filter((item) => !codes.has(item.messageId));
      if (missing.length === 0) return codes;
      if (Date.now() > deadline)
        throw new Error(`not dead-lettered within ${timeoutMs} ms: ${missing.map((item) => item.label).join('; ')}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    await client.end();
  }
}

/** CPU time (user + system) of this process over `windowMs`, as a fraction of one core. */
export async function cpuShare(windowMs: number): Promise<number> {
  const before = process.cpuUsage();
  const started = process.hrtime.bigint();
  await new Promise((resolve) => setTimeout(resolve, windowMs));
  const used = process.cpuUsage(before);
  const elapsedUs = Number(process.hrtime.bigint() - started) / 1_000;
  return (used.user + used.system) / elapsedUs;
}
