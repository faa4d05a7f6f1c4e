import { PublishBatch } from './publish-batch';
import type { PublishRequest } from './publish-request';

describe('PublishBatch', () => {
  const request = (routingKey: string): PublishRequest => ({ exchange: '', routingKey, content: Buffer.from('{}'), options: {} });
  const requests = [request('a'), request('b'), request('c')];

  it('settles once every message has a verdict, keeping the first verdict of each', async () => {
    const batch = new PublishBatch(requests, 10_000, () => undefined);
    batch.settle(0, 'confirmed');
    batch.settle(1, 'refused');
    batch.settle(1, 'lost');
    expect(batch.finished).toBe(false);
    batch.settle(2, 'lost');
    await batch.settled;
    expect(batch.having('refused')).toEqual([requests[1]]);
    expect(batch.having('lost')).toEqual([requests[2]]);
  });

  it('gives up on unconfirmed messages when confirms stop coming', async () => {
    let stalled = false;
    const batch = new PublishBatch(requests, 30, () => (stalled = true));
    batch.settle(0, 'confirmed');
    await batch.settled;
    expect(stalled).toBe(true);
    expect(batch.having('stalled')).toEqual([requests[1], requests[2]]);
    batch.settle(1, 'confirmed');
    expect(batch.having('confirmed')).toEqual([requests[0]]);
  });

  it('settles an empty batch at once', async () => {
    const batch = new PublishBatch([], 10_000, () => undefined);
    await expect(batch.settled).resolves.toBeUndefined();
  });
});
