import { parseEventPacket } from './event-packet';

describe('parseEventPacket', () => {
  it('reads a Nest packet', () => {
    expect(parseEventPacket('{"pattern":"process-order.Completed","data":{"id":1}}')).toEqual({
      pattern: 'process-order.Completed',
      data: { id: 1 },
    });
  });

  it.each(['not json', '[]', 'null', '{"data":1}', '{"pattern":42}', '{"pattern":""}'])('refuses %s', (body) => {
    expect(parseEventPacket(body)).toBeUndefined();
  });
});
