import { resolveSettings } from '../nest/resolve-settings';
import type { OutgoingMessage, Transport } from '../transport/transport.interface';
import { createWrite } from '../../test/support/workflow-store.contract';
import { InMemoryWorkflowStore } from './in-memory/in-memory-workflow-store';
import { TransitionCommitter } from './transition-committer';
import { TransitionNotifier } from './transition-notifier';

/** A transport that records what it is asked to publish. */
function recordingTransport(published: OutgoingMessage[]): Transport {
  return {
    publish: async (messages: readonly OutgoingMessage[]) => {
      published.push(...messages);
    },
  } as Partial<Transport> as Transport;
}

describe('TransitionCommitter with an outbox-backed store and events.kinds', () => {
  it('publishes only the events of the listed kinds, and records every event', async () => {
    const store = new InMemoryWorkflowStore();
    const published: OutgoingMessage[] = [];
    const settings = resolveSettings({ namespace: 'kinds', events: { kinds: ['Started'] } }, {});
    const committer = new TransitionCommitter(store, recordingTransport(published), new TransitionNotifier(), settings);
    const { transition } = createWrite();
    expect(transition.events.map((event) => event.kind)).toEqual(['Started', 'PhaseChanged']);

    expect(await committer.commit({ inboxMessageId: null, expectedVersion: 0, transition })).toBe('committed');

    expect(published.filter((message) => message.exchange === 'kinds.events').map((message) => message.type)).toEqual([
      transition.events[0].type,
    ]);
    expect((await store.history(transition.instance.workflowId)).map((event) => event.kind)).toEqual(['Started', 'PhaseChanged']);
  });
});
