import { resolveSettings } from '../nest/resolve-settings';
import type { OutgoingMessage, Transport } from '../transport/transport.interface';
import { createWrite } from '../../test/support/workflow-store.contract';
import { InMemoryWorkflowStore } from './in-memory/in-memory-workflow-store';
import { TransitionCommitter } from './transition-committer';
import { TransitionNotifier } from './transition-notifier';

/** A transport that records what it is asked to publish (the broker is not the point here). */
function recordingTransport(published: OutgoingMessage[]): Transport {
  return {
    connect: async () => undefined,
    publish: async (messages) => {
      published.push(...messages);
    },
    consume: async () => undefined,
    stopConsuming: async () => undefined,
    close: async () => undefined,
    isHealthy: () => true,
  } as Transport;
}

describe('TransitionCommitter', () => {
  it('publishes after commit, then deletes the published outbox rows of many commits in one statement', async () => {
    const store = new InMemoryWorkflowStore();
    const deletions = jest.spyOn(store, 'deleteOutbox');
    const published: OutgoingMessage[] = [];
    const settings = resolveSettings({ rabbitmq: { url: 'amqp://localhost' }, postgres: { url: 'postgres://localhost/x' } }, {});
    const committer = new TransitionCommitter(store, recordingTransport(published), new TransitionNotifier(), settings);

    const writes = Array.from({ length: 20 }, () => createWrite());
    const results = await Promise.all(
      writes.map((write) => committer.commit({ inboxMessageId: null, expectedVersion: 0, transition: write.transition })),
    );

    expect(results).toEqual(writes.map(() => 'committed'));
    expect(published.length).toBeGreaterThanOrEqual(40);
    expect(await store.countOutbox()).toBe(published.length);
    for (let i = 0; i < 100 && (await store.countOutbox()) > 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await store.countOutbox()).toBe(0);
    expect(deletions).toHaveBeenCalledTimes(1);
    expect(committer.pendingWrites).toBe(0);
  });
});
