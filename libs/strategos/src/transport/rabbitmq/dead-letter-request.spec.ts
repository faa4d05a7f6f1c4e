import { headerBytes } from '../../messages/message-limits';
import type { Message } from 'amqplib';
import { StrategosHeader } from '../../messages/outbox-message';
import { MAX_DEAD_LETTER_REASON_LENGTH, DROPPED_HEADERS_HEADER, toDeadLetterRequest } from './dead-letter-request';

describe('toDeadLetterRequest', () => {
  const message = {
    content: Buffer.from([0xff, 0x00, 0x41]),
    fields: { deliveryTag: 1, redelivered: false, exchange: '', routingKey: 'ns.wf.Step' },
    properties: {
      contentType: 'application/json',
      contentEncoding: undefined,
      headers: { [StrategosHeader.WorkflowId]: 'wf-1' },
      deliveryMode: 2,
      priority: undefined,
      correlationId: undefined,
      replyTo: undefined,
      expiration: '60000',
      messageId: 'm-1',
      timestamp: 1_700_000_000,
      type: 'ExecuteStepCommand',
      userId: 'someone-else',
      appId: undefined,
      clusterId: undefined,
    },
  } as Message;

  it('keeps the body bytes, id, type and headers, and adds the reason headers', () => {
    const copy = toDeadLetterRequest(
      message,
      'ns.wf.Step',
      'ns.dead-letter',
      { code: 'MALFORMED_JSON', reason: 'bad' },
      new Date('2026-01-02T03:04:05.000Z'),
    );
    expect(copy.exchange).toBe('ns.dead-letter');
    expect(copy.content.equals(message.content)).toBe(true);
    expect(copy.options).toMatchObject({ persistent: true, messageId: 'm-1', type: 'ExecuteStepCommand', timestamp: 1_700_000_000 });
    expect(copy.options.headers).toEqual({
      [StrategosHeader.WorkflowId]: 'wf-1',
      [StrategosHeader.DeadLetterCode]: 'MALFORMED_JSON',
      [StrategosHeader.DeadLetterReason]: 'bad',
      [StrategosHeader.DeadLetterQueue]: 'ns.wf.Step',
      [StrategosHeader.DeadLetteredAt]: '2026-01-02T03:04:05.000Z',
    });
  });

  it('drops the expiration and user id, which would lose or refuse the copy', () => {
    const copy = toDeadLetterRequest(message, 'q', 'dlx', { code: 'C', reason: 'r' });
    expect(copy.options).not.toHaveProperty('expiration');
    expect(copy.options).not.toHaveProperty('userId');
  });

  it('drops the largest headers until the copy fits in maxHeaderBytes, and names them', () => {
    const oversized = { ...message, properties: { ...message.properties, headers: { traceparent: 'x'.repeat(200_000), keep: 'me' } } };
    const copy = toDeadLetterRequest(oversized as Message, 'q', 'dlx', { code: 'C', reason: 'r' }, new Date(), { maxHeaderBytes: 16_384 });
    expect(headerBytes(copy.options.headers)).toBeLessThanOrEqual(16_384);
    expect(copy.options.headers).toMatchObject({ keep: 'me', [DROPPED_HEADERS_HEADER]: 'traceparent (200017 bytes)' });
    expect(copy.options.headers).not.toHaveProperty('traceparent');
  });

  it('shortens a very long reason', () => {
    const copy = toDeadLetterRequest(message, 'q', 'dlx', { code: 'C', reason: 'x'.repeat(10_000) });
    expect(String(copy.options.headers[StrategosHeader.DeadLetterReason])).toHaveLength(MAX_DEAD_LETTER_REASON_LENGTH);
  });
});
