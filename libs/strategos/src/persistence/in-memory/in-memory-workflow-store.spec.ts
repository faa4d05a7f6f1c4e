import { randomUUID } from 'node:crypto';
import { createWrite, describeWorkflowStoreContract, outboxMessage } from '../../../test/support/workflow-store.contract';
import { InMemoryWorkflowStore } from './in-memory-workflow-store';

describeWorkflowStoreContract('InMemoryWorkflowStore', async () => new InMemoryWorkflowStore());

describe('InMemoryWorkflowStore', () => {
  it('applies nothing of a batch that cannot be stored', async () => {
    const store = new InMemoryWorkflowStore();
    const good = createWrite();
    const bad = createWrite();
    const unserialisable = {
      ...bad,
      transition: { ...bad.transition, instance: { ...bad.transition.instance, state: { workflowId: 'x', big: 1n as unknown as number } } },
    };

    await expect(store.commit([good, unserialisable])).rejects.toThrow(TypeError);

    expect(await store.load(good.transition.instance.workflowId)).toBeNull();
    expect(await store.countOutbox()).toBe(0);
  });

  it('counts outbox rows until they are deleted', async () => {
    const store = new InMemoryWorkflowStore();
    const rows = [outboxMessage(), outboxMessage()];
    await store.commit([{ ...createWrite(), outbox: rows }]);
    expect(await store.countOutbox()).toBe(2);
    await store.deleteOutbox([rows[0].id]);
    expect(await store.countOutbox()).toBe(1);
  });

  it('forgets old inbox entries when pruned, so a late redelivery is judged by the version guard', async () => {
    const store = new InMemoryWorkflowStore();
    const messageId = randomUUID();
    const first = createWrite(randomUUID(), messageId);
    await store.commit([first]);
    await new Promise((resolve) => setTimeout(resolve, 20));

    expect(await store.pruneInbox(60_000)).toBe(0);
    expect(await store.pruneInbox(10)).toBe(1);

    expect(await store.commit([createWrite(randomUUID(), messageId)])).toEqual(['committed']);
    expect(await store.commit([createWrite(first.transition.instance.workflowId, messageId)])).toEqual(['duplicate']);
  });
});
