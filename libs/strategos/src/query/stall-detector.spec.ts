import { StallDetector, type QueueConsumers } from './stall-detector';

describe('StallDetector', () => {
  const now = Date.parse('2026-01-01T12:00:00Z');
  const consumers = (counts: Record<string, number>): QueueConsumers & { asked: string[] } => {
    const asked: string[] = [];
    return { asked, consumerCount: async (queue) => (asked.push(queue), counts[queue]) };
  };
  const running = (updatedAt: string, phase = 'Pay') => ({ status: 'running' as const, updatedAt, workflowName: 'orders', phase });
  const noDefinitions = { find: () => undefined };

  it('reports a run idle past the threshold whose step queue has no consumer', async () => {
    const detector = new StallDetector({ consumers: consumers({ 'ns.orders.Pay': 0 }), namespace: 'ns', afterMs: 60_000 }, noDefinitions);
    const stalled = await detector.check(running('2026-01-01T11:58:00Z'), now);
    expect(stalled).toMatchObject({ step: 'Pay', queue: 'ns.orders.Pay', since: new Date('2026-01-01T11:58:00Z') });
    expect(stalled?.reason).toMatch(/^no process consumes ns\.orders\.Pay: the run has waited 120 s for step Pay/);
  });

  it('does not ask the broker for a run that moved within the threshold, nor report one whose queue has consumers or is unknown', async () => {
    const probe = consumers({ 'ns.orders.Pay': 2 });
    const detector = new StallDetector({ consumers: probe, namespace: 'ns', afterMs: 60_000 }, noDefinitions);
    expect(await detector.check(running('2026-01-01T11:59:30Z'), now)).toBeUndefined();
    expect(probe.asked).toEqual([]);
    expect(await detector.check(running('2026-01-01T11:50:00Z'), now)).toBeUndefined();
    expect(await detector.check(running('2026-01-01T11:50:00Z', 'Gone'), now)).toBeUndefined();
    expect(await detector.check({ ...running('2026-01-01T11:50:00Z'), status: 'completed' }, now)).toBeUndefined();
  });

  it('asks once per queue for a page of runs', async () => {
    const probe = consumers({ 'ns.orders.Pay': 0 });
    const detector = new StallDetector({ consumers: probe, namespace: 'ns', afterMs: 1_000 }, noDefinitions);
    const counts = new Map<string, Promise<number | undefined>>();
    await Promise.all([1, 2, 3].map(() => detector.check(running('2026-01-01T11:00:00Z'), now, counts)));
    expect(probe.asked).toEqual(['ns.orders.Pay']);
  });
});
