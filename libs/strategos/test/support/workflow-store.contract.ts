import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Workflow } from '../../src/definition/workflow';
import type { WorkflowDefinition } from '../../src/definition/workflow-definition';
import type { Transition, TransitionContext } from '../../src/engine/transition';
import { TransitionEngine } from '../../src/engine/transition-engine';
import type { WorkflowInstance } from '../../src/engine/workflow-instance';
import type { OutboxMessage } from '../../src/messages/outbox-message';
import type { InstanceListQuery } from '../../src/persistence/instance-list-query.interface';
import type { TransitionWrite, WorkflowStore } from '../../src/persistence/workflow-store.interface';
import type { JsonObject, WorkflowState } from '../../src/state/workflow-state.interface';
import { Step } from '../../src/step/step.decorator';
import { StepResult } from '../../src/step/step-result';
import { WorkflowError } from '../../src/step/workflow-error';
import type { WorkflowStep } from '../../src/step/workflow-step.interface';

interface CounterState extends WorkflowState {
  readonly count: number;
}

@Step()
class Reserve implements WorkflowStep<CounterState> {
  execute(): StepResult<CounterState> {
    return StepResult.ok({ count: 1 });
  }
}

@Step()
class Charge implements WorkflowStep<CounterState> {
  execute(): StepResult<CounterState> {
    return StepResult.ok({ count: 2 });
  }
}

@Step()
class Confirm implements WorkflowStep<CounterState> {
  execute(): StepResult<CounterState> {
    return StepResult.ok({ count: 3 });
  }
}

const counter = Workflow.create<CounterState>('store-contract').startWith(Reserve).then(Charge).finally(Confirm);
const engine = new TransitionEngine();
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const counterFlows = new Map<string, WorkflowDefinition<CounterState>>([[counter.name, counter]]);

/** The counter workflow (Reserve, Charge, Confirm) under another name, so that a test can filter on its own instances. */
export function counterNamed(name: string): WorkflowDefinition<CounterState> {
  let definition = counterFlows.get(name);
  if (!definition) {
    definition = Workflow.create<CounterState>(name).startWith(Reserve).then(Charge).finally(Confirm);
    counterFlows.set(name, definition);
  }
  return definition;
}

/** Which workflow a write belongs to and when it happens (default: the contract's workflow, now). */
export interface WriteOptions {
  readonly workflow?: string;
  readonly now?: Date;
}

function transitionContext(now: Date = new Date()): TransitionContext {
  return { now, newId: () => randomUUID(), random: () => 0.5, causationId: 'store-contract' };
}

/** An outbox row, due now unless `availableAt` says otherwise. */
export function outboxMessage(overrides: Partial<OutboxMessage> = {}): OutboxMessage {
  const messageId = randomUUID();
  return {
    id: randomUUID(),
    exchange: 'strategos.events',
    routingKey: 'store-contract.Started',
    messageId,
    type: 'StoreContractStarted',
    headers: { 'x-strategos-workflow-id': 'w', 'x-strategos-sequence': 1 },
    body: { pattern: 'store-contract.Started', data: { messageId } },
    availableAt: new Date().toISOString(),
    leaseUntil: null,
    ...overrides,
  };
}

/** The outbox rows a writer would store for a transition: its commands and its events. */
function outboxFor(transition: Transition): OutboxMessage[] {
  const commands = transition.commands.map(({ command, availableAt }) =>
    outboxMessage({
      exchange: '',
      routingKey: `strategos.store-contract.${command.step}`,
      messageId: command.messageId,
      type: command.type,
      body: JSON.parse(JSON.stringify(command)) as JsonObject,
      availableAt,
    }),
  );
  const events = transition.events.map((event) =>
    outboxMessage({ messageId: event.eventId, type: event.type, body: { pattern: `store-contract.${event.kind}`, data: event.data } }),
  );
  return [...commands, ...events];
}

/** A write that creates a new instance (a real engine transition), with its outbox rows. */
export function createWrite(
  workflowId: string = randomUUID(),
  inboxMessageId: string | null = null,
  options: WriteOptions = {},
): TransitionWrite {
  const transition = engine.start(counterNamed(options.workflow ?? counter.name), { workflowId, count: 0 }, transitionContext(options.now));
  return { inboxMessageId, expectedVersion: 0, transition, outbox: outboxFor(transition) };
}

/** A write that applies the success of `instance`'s current step, guarded by `expectedVersion`. */
export function advanceWrite(
  instance: WorkflowInstance,
  inboxMessageId: string | null = randomUUID(),
  expectedVersion: number = instance.version,
  options: Pick<WriteOptions, 'now'> = {},
): TransitionWrite {
  const definition = counterNamed(instance.workflowName);
  const transition = engine.applyOutcome(
    definition,
    instance,
    { kind: 'succeeded', patch: { count: Number(instance.state.count) + 1 } },
    transitionContext(options.now),
  );
  return { inboxMessageId, expectedVersion, transition, outbox: outboxFor(transition) };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const ids = (messages: readonly OutboxMessage[]): string[] => messages.map((message) => message.id);

/**
 * `write` without its outbox rows: for tests that set their own clock, whose rows would otherwise be due
 * before (or long after) the outbox tests' rows.
 */
const withoutOutbox = (write: TransitionWrite): TransitionWrite => ({ ...write, outbox: [] });

/** A workflow name no other test uses, so that a test lists only its own instances. */
const uniqueWorkflow = (): string => `contract-${randomUUID().slice(0, 8)}`;
/** A start time far from any other test's (and from now), so that a time window holds only this test's instances. */
const uniqueEpoch = (): number => Date.UTC(2200, 0, 1) + Math.floor(Math.random() * 1e12);

/** Resolves once `condition` holds, polling; rejects after `timeoutMs`. */
async function eventually(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(5);
  }
}

/**
 * The behaviour every {@link WorkflowStore} must have. `factory` returns a store; it is called before
 * each test and the store is migrated and closed by the suite. Stores may share data between tests
 * (a database schema): every test uses its own ids and only asserts on them.
 */
export function describeWorkflowStoreContract(name: string, factory: () => Promise<WorkflowStore>): void {
  describe(`${name} (WorkflowStore contract)`, () => {
    let store: WorkflowStore;

    beforeEach(async () => {
      store = await factory();
      await store.migrate();
    });

    afterEach(async () => {
      await store.close();
    });

    /** Commits `write`, expecting it to commit, and returns the stored instance. */
    async function committed(write: TransitionWrite): Promise<WorkflowInstance> {
      expect(await store.commit([write])).toEqual(['committed']);
      return write.transition.instance;
    }

    /** Claims every due row with a long lease; the caller filters by its own ids. */
    async function claimAll(): Promise<OutboxMessage[]> {
      return store.claimDueOutbox(10_000, 60_000);
    }

    describe('instances and events', () => {
      it('returns null for an unknown instance', async () => {
        expect(await store.load(randomUUID())).toBeNull();
        expect(await store.history(randomUUID())).toEqual([]);
      });

      it('loads a created instance exactly as written, with ISO timestamps', async () => {
        const write = createWrite();
        await committed(write);
        const loaded = await store.load(write.transition.instance.workflowId);
        expect(loaded).toEqual(write.transition.instance);
        expect(loaded?.startedAt).toMatch(ISO_TIMESTAMP);
        expect(loaded?.updatedAt).toMatch(ISO_TIMESTAMP);
        expect(loaded?.completedAt).toBeNull();
      });

      it('loads several instances at once, in the order asked, with null for an unknown id', async () => {
        const writes = [createWrite(), createWrite(), createWrite()];
        for (const write of writes) await committed(write);
        const unknown = randomUUID();
        const ids = [writes[2], writes[0]].map((write) => write.transition.instance.workflowId);

        expect(await store.loadMany!([ids[0], unknown, ids[1]])).toEqual([
          writes[2].transition.instance,
          null,
          writes[0].transition.instance,
        ]);
        expect(await store.loadMany!([])).toEqual([]);
      });

      it('round-trips a completed instance with its completion time', async () => {
        let instance = await committed(createWrite());
        for (let step = 0; step < 3; step += 1) instance = await committed(advanceWrite(instance));
        expect(instance.status).toBe('completed');
        const loaded = await store.load(instance.workflowId);
        expect(loaded).toEqual(instance);
        expect(loaded?.completedAt).toMatch(ISO_TIMESTAMP);
      });

      it('round-trips a failed instance with its recorded error and details', async () => {
        const started = await committed(createWrite());
        const failure = engine.applyOutcome(
          counter,
          started,
          { kind: 'failed', error: WorkflowError.create('OUT_OF_STOCK', 'No stock', { sku: 'a-1', missing: [1, null] }) },
          transitionContext(),
        );
        const failed = await committed({ inboxMessageId: randomUUID(), expectedVersion: started.version, transition: failure, outbox: [] });
        expect(failed).toMatchObject({ status: 'failed', error: { code: 'OUT_OF_STOCK', step: 'Reserve', details: { sku: 'a-1' } } });
        expect(await store.load(failed.workflowId)).toEqual(failed);
      });

      it('returns the events of every commit in sequence order', async () => {
        const first = createWrite();
        const second = advanceWrite(await committed(first));
        const third = advanceWrite(await committed(second));
        await committed(third);
        const history = await store.history(first.transition.instance.workflowId);
        expect(history).toEqual([...first.transition.events, ...second.transition.events, ...third.transition.events]);
        expect(history.map((event) => event.sequence)).toEqual(history.map((_, index) => index + 1));
        expect(history[0].timestamp).toMatch(ISO_TIMESTAMP);
      });

      it('commits an update at the expected version', async () => {
        const created = await committed(createWrite());
        const update = advanceWrite(created);
        expect(await store.commit([update])).toEqual(['committed']);
        const loaded = await store.load(created.workflowId);
        expect(loaded).toEqual(update.transition.instance);
        expect(loaded?.version).toBe(created.version + 1);
      });

      it('reports duplicate when the instance to create exists, and keeps the first', async () => {
        const first = createWrite();
        await committed(first);
        const again = createWrite(first.transition.instance.workflowId);
        expect(await store.commit([again])).toEqual(['duplicate']);
        expect(await store.load(first.transition.instance.workflowId)).toEqual(first.transition.instance);
        expect(await store.history(first.transition.instance.workflowId)).toEqual(first.transition.events);
        const claimed = ids(await claimAll());
        expect(claimed).toEqual(expect.arrayContaining(ids(first.outbox)));
        for (const id of ids(again.outbox)) expect(claimed).not.toContain(id);
      });

      it('commits nothing for an empty batch', async () => {
        expect(await store.commit([])).toEqual([]);
      });

      it('shares no references with its callers', async () => {
        const write = createWrite();
        const mutable = JSON.parse(JSON.stringify(write)) as TransitionWrite & { transition: { instance: { state: JsonObject } } };
        await store.commit([mutable]);
        mutable.transition.instance.state.count = 99;
        const loaded = (await store.load(write.transition.instance.workflowId)) as WorkflowInstance & { state: JsonObject };
        loaded.state.count = 42;
        expect(await store.load(write.transition.instance.workflowId)).toEqual(write.transition.instance);
      });
    });

    describe('version guard and inbox', () => {
      it('rejects an update at a stale version as a conflict and applies nothing of it', async () => {
        const create = createWrite();
        const created = await committed(create);
        const winner = advanceWrite(created);
        await committed(winner);
        const stale = advanceWrite(created, randomUUID());

        expect(await store.commit([stale])).toEqual(['conflict']);

        expect(await store.load(created.workflowId)).toEqual(winner.transition.instance);
        expect(await store.history(created.workflowId)).toEqual([...create.transition.events, ...winner.transition.events]);
        await sleep(5);
        const claimed = ids(await claimAll());
        expect(claimed).toEqual(expect.arrayContaining(ids(winner.outbox)));
        for (const id of ids(stale.outbox)) expect(claimed).not.toContain(id);
        // The message was not consumed: its redelivery, recomputed from the current version, commits.
        const redelivered = advanceWrite(winner.transition.instance, stale.inboxMessageId);
        expect(await store.commit([redelivered])).toEqual(['committed']);
      });

      it('reports a conflict for an update of an instance that does not exist', async () => {
        const phantom = advanceWrite(createWrite().transition.instance);
        expect(await store.commit([phantom])).toEqual(['conflict']);
        expect(await store.load(phantom.transition.instance.workflowId)).toBeNull();
      });

      it('applies a redelivered message once', async () => {
        const created = await committed(createWrite());
        const messageId = randomUUID();
        const first = advanceWrite(created, messageId);
        await committed(first);
        const redelivery = advanceWrite(first.transition.instance, messageId);

        expect(await store.commit([redelivery])).toEqual(['duplicate']);

        expect(await store.load(created.workflowId)).toEqual(first.transition.instance);
        expect(await store.history(created.workflowId)).toHaveLength(created.sequence + first.transition.events.length);
      });

      it('applies a write without an inbox id once: a retry or a second copy at the same version is a conflict', async () => {
        // A step command's commit: the version guard alone tells its retry (after a lost reply) or a concurrent copy.
        const created = await committed(createWrite());
        const first = advanceWrite(created, null);
        await committed(first);

        expect(await store.commit([first])).toEqual(['conflict']);
        expect(await store.commit([advanceWrite(created, null)])).toEqual(['conflict']);

        expect(await store.load(created.workflowId)).toEqual(first.transition.instance);
        expect(await store.history(created.workflowId)).toHaveLength(created.sequence + first.transition.events.length);
      });

      it('applies one of two writes without an inbox id for the same version in one batch', async () => {
        const created = await committed(createWrite());
        const copies = [advanceWrite(created, null), advanceWrite(created, null)];

        expect(await store.commit(copies)).toEqual(['committed', 'conflict']);

        expect(await store.load(created.workflowId)).toEqual(copies[0].transition.instance);
        expect(await store.history(created.workflowId)).toHaveLength(created.sequence + copies[0].transition.events.length);
      });

      it('deduplicates a start message by its inbox id', async () => {
        const messageId = randomUUID();
        await committed(createWrite(randomUUID(), messageId));
        const other = createWrite(randomUUID(), messageId);
        expect(await store.commit([other])).toEqual(['duplicate']);
        expect(await store.load(other.transition.instance.workflowId)).toBeNull();
      });

      it('applies only the committed writes of a mixed batch and answers in batch order', async () => {
        const create = createWrite();
        const existing = await committed(create);
        const consumed = randomUUID();
        const moved = advanceWrite(existing, consumed);
        await committed(moved);
        const fresh = createWrite();
        const duplicateCreate = createWrite(existing.workflowId);
        const stale = advanceWrite(existing, randomUUID());
        const redelivered = createWrite(randomUUID(), consumed);
        const advance = advanceWrite(moved.transition.instance);

        const results = await store.commit([duplicateCreate, fresh, stale, redelivered, advance]);

        expect(results).toEqual(['duplicate', 'committed', 'conflict', 'duplicate', 'committed']);
        expect(await store.load(fresh.transition.instance.workflowId)).toEqual(fresh.transition.instance);
        expect(await store.load(existing.workflowId)).toEqual(advance.transition.instance);
        expect(await store.load(redelivered.transition.instance.workflowId)).toBeNull();
        expect(await store.history(existing.workflowId)).toEqual([
          ...create.transition.events,
          ...moved.transition.events,
          ...advance.transition.events,
        ]);
        await sleep(5);
        const claimed = ids(await claimAll());
        expect(claimed).toEqual(expect.arrayContaining([...ids(fresh.outbox), ...ids(advance.outbox)]));
        for (const id of [...ids(duplicateCreate.outbox), ...ids(stale.outbox), ...ids(redelivered.outbox)])
          expect(claimed).not.toContain(id);
      });

      it('applies writes for one instance, or one message, in batch order within a batch', async () => {
        const created = createWrite();
        const second = advanceWrite(created.transition.instance);
        const third = advanceWrite(second.transition.instance);
        const messageId = randomUUID();
        const once = createWrite(randomUUID(), messageId);
        const twice = createWrite(randomUUID(), messageId);

        expect(await store.commit([created, second, once, third, twice])).toEqual([
          'committed',
          'committed',
          'committed',
          'committed',
          'duplicate',
        ]);

        expect(await store.load(created.transition.instance.workflowId)).toEqual(third.transition.instance);
        expect(await store.load(twice.transition.instance.workflowId)).toBeNull();
      });
    });

    describe('listing', () => {
      /** Commits instances of `workflow` with these ids, started at these times; returns them as stored. */
      async function startAll(
        workflow: string,
        starts: readonly (readonly [workflowId: string, startedAt: number])[],
      ): Promise<WorkflowInstance[]> {
        const writes = starts.map(([workflowId, at]) => withoutOutbox(createWrite(workflowId, null, { workflow, now: new Date(at) })));
        expect(await store.commit(writes)).toEqual(writes.map(() => 'committed'));
        return writes.map((write) => write.transition.instance);
      }

      /** Every page of `query`, following `next` until it is null. */
      async function allPages(query: InstanceListQuery): Promise<WorkflowInstance[][]> {
        const pages: WorkflowInstance[][] = [];
        let after = query.after;
        for (;;) {
          const page = await store.list({ ...query, ...(after ? { after } : {}) });
          pages.push(page.instances);
          if (!page.next) return pages;
          expect(page.next).toEqual({ startedAt: page.instances.at(-1)?.startedAt, workflowId: page.instances.at(-1)?.workflowId });
          after = page.next;
        }
      }

      it('pages through a workflow in start order, then id order on ties, each instance exactly once', async () => {
        const workflow = uniqueWorkflow();
        const t = uniqueEpoch();
        // Ties on startedAt are ordered by workflowId in code point order: 'Z' < '_' < 'a'.
        const suffix = randomUUID();
        const stored = await startAll(workflow, [
          [`m-${suffix}`, t + 2_000],
          [`a-${suffix}`, t + 1_000],
          [`_-${suffix}`, t + 1_000],
          [`Z-${suffix}`, t + 1_000],
          [`k-${suffix}`, t],
          [`b-${suffix}`, t + 3_000],
          [`c-${suffix}`, t + 3_000],
        ]);
        const byId = new Map(stored.map((instance) => [instance.workflowId, instance]));
        const expected = ['k', 'Z', '_', 'a', 'm', 'b', 'c'].map((prefix) => byId.get(`${prefix}-${suffix}`));

        const pages = await allPages({ workflowName: workflow, limit: 3 });

        expect(pages.map((page) => page.length)).toEqual([3, 3, 1]);
        expect(pages.flat()).toEqual(expected);
        expect(await allPages({ workflowName: workflow, limit: 7 })).toEqual([expected]);
        expect(await allPages({ workflowName: workflow, limit: 500 })).toEqual([expected]);
      });

      it('filters by workflow, status, phase and a half-open start window', async () => {
        const workflow = uniqueWorkflow();
        const other = uniqueWorkflow();
        const t = uniqueEpoch();
        const [reserving, completing, charging] = await startAll(workflow, [
          [randomUUID(), t],
          [randomUUID(), t + 1_000],
          [randomUUID(), t + 2_000],
        ]);
        const [elsewhere] = await startAll(other, [[randomUUID(), t + 1_000]]);
        let completed = completing;
        for (let step = 0; step < 3; step++)
          completed = await committed(
            withoutOutbox(advanceWrite(completed, randomUUID(), completed.version, { now: new Date(t + 5_000 + step) })),
          );
        const charged = await committed(
          withoutOutbox(advanceWrite(charging, randomUUID(), charging.version, { now: new Date(t + 5_000) })),
        );
        const ids = async (query: Omit<InstanceListQuery, 'limit'>): Promise<string[]> =>
          (await store.list({ limit: 100, ...query })).instances.map((instance) => instance.workflowId);

        expect(await ids({ workflowName: workflow })).toEqual([reserving.workflowId, completed.workflowId, charged.workflowId]);
        expect(await ids({ workflowName: workflow, statuses: ['completed'] })).toEqual([completed.workflowId]);
        expect(await ids({ workflowName: workflow, statuses: ['running', 'failed'] })).toEqual([reserving.workflowId, charged.workflowId]);
        expect(await ids({ workflowName: workflow, statuses: [] })).toEqual([]);
        expect(await ids({ workflowName: workflow, phase: 'Charge' })).toEqual([charged.workflowId]);
        expect(await ids({ workflowName: workflow, phase: 'Completed', statuses: ['completed'] })).toEqual([completed.workflowId]);
        const window = (from: number, to: number) => ({
          startedAfter: new Date(from).toISOString(),
          startedBefore: new Date(to).toISOString(),
        });
        expect(await ids(window(t + 1_000, t + 2_000))).toEqual([completed.workflowId, elsewhere.workflowId].sort());
        expect(await ids({ workflowName: workflow, ...window(t + 1_000, t + 2_001) })).toEqual([completed.workflowId, charged.workflowId]);
        expect(await ids({ startedAfter: new Date(t + 2_000).toISOString(), workflowName: workflow })).toEqual([charged.workflowId]);
        expect(await ids({ startedBefore: new Date(t + 1_000).toISOString(), workflowName: workflow })).toEqual([reserving.workflowId]);
        expect(await ids({ workflowName: uniqueWorkflow() })).toEqual([]);
        const loaded = await store.list({ workflowName: workflow, statuses: ['completed'], limit: 1 });
        expect(loaded).toEqual({ instances: [completed], next: null });
      });

      it('starts a page after a position that no instance has', async () => {
        const workflow = uniqueWorkflow();
        const t = uniqueEpoch();
        const [first, second] = await startAll(workflow, [
          [`b-${randomUUID()}`, t],
          [`a-${randomUUID()}`, t + 1],
        ]);
        const page = await store.list({
          workflowName: workflow,
          limit: 10,
          after: { startedAt: new Date(t).toISOString(), workflowId: 'c' },
        });
        expect(page).toEqual({ instances: [second], next: null });
        const before = await store.list({
          workflowName: workflow,
          limit: 10,
          after: { startedAt: new Date(t).toISOString(), workflowId: 'a' },
        });
        expect(before.instances).toEqual([first, second]);
      });
    });

    describe('step durations', () => {
      /** Runs one instance of `workflow` from `start`, each step taking the given ms; completes it when all three are given. */
      async function run(workflow: string, start: number, durations: readonly number[]): Promise<WorkflowInstance> {
        let at = start;
        let instance = await committed(withoutOutbox(createWrite(randomUUID(), null, { workflow, now: new Date(at) })));
        for (const ms of durations) {
          at += ms;
          instance = await committed(withoutOutbox(advanceWrite(instance, randomUUID(), instance.version, { now: new Date(at) })));
        }
        return instance;
      }

      it('gives per step the median duration of the latest completed runs', async () => {
        const workflow = uniqueWorkflow();
        const t = Date.now() - 3_600_000;
        await run(workflow, t, [5_000, 5_000, 5_000]);
        await run(workflow, t + 20_000, [100, 300, 600]);
        await run(workflow, t + 30_000, [200, 500, 600]);
        await run(workflow, t + 40_000, [9_000_000]);
        const still = await run(workflow, t + 50_000, [9_000_000, 9_000_000]);
        expect(still.status).toBe('running');

        expect(await store.stepDurations(workflow, 2)).toEqual([
          { step: 'Charge', medianMs: 400, samples: 2 },
          { step: 'Confirm', medianMs: 600, samples: 2 },
          { step: 'Reserve', medianMs: 150, samples: 2 },
        ]);
        expect(await store.stepDurations(workflow, 50)).toEqual([
          { step: 'Charge', medianMs: 500, samples: 3 },
          { step: 'Confirm', medianMs: 600, samples: 3 },
          { step: 'Reserve', medianMs: 200, samples: 3 },
        ]);
      });

      it('has no durations for a workflow with no completed run', async () => {
        const workflow = uniqueWorkflow();
        await run(workflow, Date.now(), [100]);
        expect(await store.stepDurations(workflow, 50)).toEqual([]);
        expect(await store.stepDurations(uniqueWorkflow(), 50)).toEqual([]);
      });
    });

    describe('terminal subscriptions', () => {
      it('calls a subscriber when a transition ending its workflow commits, and for nothing else', async () => {
        const created = await committed(createWrite());
        const bystander = await committed(createWrite());
        const calls = { watched: 0, bystander: 0, late: 0 };
        const unsubscribe = await store.subscribeTerminal(created.workflowId, () => calls.watched++);
        const unsubscribeBystander = await store.subscribeTerminal(bystander.workflowId, () => calls.bystander++);

        let instance = created;
        for (let step = 0; step < 3; step++) instance = await committed(advanceWrite(instance));
        expect(instance.status).toBe('completed');
        await eventually(() => calls.watched > 0);

        // Notices arrive in commit order: the non-terminal transitions before it sent none.
        expect(calls).toEqual({ watched: 1, bystander: 0, late: 0 });
        unsubscribe();
        unsubscribe();
        const failure = engine.applyOutcome(
          counter,
          bystander,
          { kind: 'failed', error: WorkflowError.create('NOPE', 'no') },
          transitionContext(),
        );
        const unsubscribeLate = await store.subscribeTerminal(bystander.workflowId, () => calls.late++);
        await committed({ inboxMessageId: null, expectedVersion: bystander.version, transition: failure, outbox: [] });
        await eventually(() => calls.late > 0);
        expect(calls).toEqual({ watched: 1, bystander: 1, late: 1 });
        unsubscribeBystander();
        unsubscribeLate();
      });

      it('reports nothing for a transition that did not commit', async () => {
        const created = await committed(createWrite());
        const winner = advanceWrite(created);
        let calls = 0;
        const unsubscribe = await store.subscribeTerminal(created.workflowId, () => calls++);
        const failure = engine.applyOutcome(
          counter,
          created,
          { kind: 'failed', error: WorkflowError.create('NOPE', 'no') },
          transitionContext(),
        );
        await committed(winner);
        expect(await store.commit([{ inboxMessageId: null, expectedVersion: created.version, transition: failure, outbox: [] }])).toEqual([
          'conflict',
        ]);
        let instance = winner.transition.instance;
        for (let step = 0; step < 2; step++) instance = await committed(advanceWrite(instance));
        await eventually(() => calls > 0);
        expect(calls).toBe(1);
        unsubscribe();
      });
    });

    describe('step start marks', () => {
      it('marks the steps of the instances that are as expected, one batch, and nothing else', async () => {
        const [a, b, c] = [createWrite(), createWrite(), createWrite()].map(withoutOutbox);
        for (const write of [a, b, c]) await committed(write);
        const mark = (write: TransitionWrite, overrides: Partial<{ expectedVersion: number; commandId: string }> = {}) => ({
          workflowId: write.transition.instance.workflowId,
          expectedVersion: write.transition.instance.version,
          commandId: write.transition.instance.cursor!.commandId,
          startedAt: '2030-01-01T00:00:00.000Z',
          ...overrides,
        });

        expect(await store.markStepsStarted([mark(a), mark(b, { commandId: 'another-command' }), mark(c)])).toEqual([true, false, true]);

        const marked = await store.load(a.transition.instance.workflowId);
        expect(marked).toEqual({
          ...a.transition.instance,
          version: a.transition.instance.version + 1,
          cursor: { ...a.transition.instance.cursor, startedAt: '2030-01-01T00:00:00.000Z' },
        });
        expect(await store.load(b.transition.instance.workflowId)).toEqual(b.transition.instance);
        // A stale copy (the version moved on) marks nothing; the write that follows a mark uses the new version.
        expect(await store.markStepsStarted([mark(a)])).toEqual([false]);
        expect(await store.markStepsStarted([])).toEqual([]);
        await committed(advanceWrite(marked!));
      });
    });

    describe('retention', () => {
      it('prunes runs that finished before the retention, with their history, a batch at a time', async () => {
        // Finished long ago (their clock says 2000), so that no other test's instance is that old.
        const now = new Date(Date.UTC(2000, 0, 1));
        const finish = async (): Promise<string> => {
          const write = withoutOutbox(createWrite(randomUUID(), null, { now }));
          await committed(write);
          let instance = write.transition.instance;
          for (let i = 0; i < 20 && instance.status === 'running'; i++) {
            const next = withoutOutbox(advanceWrite(instance, randomUUID(), instance.version, { now }));
            await committed(next);
            instance = next.transition.instance;
          }
          expect(instance.status).toBe('completed');
          return instance.workflowId;
        };
        const finished = [await finish(), await finish(), await finish()];
        const running = withoutOutbox(createWrite(randomUUID(), null, { now }));
        await committed(running);
        const olderThanMs = Date.now() - Date.UTC(2001, 0, 1);

        expect(await store.pruneFinishedRuns(olderThanMs, 2)).toBe(2);
        expect(await store.pruneFinishedRuns(olderThanMs, 10)).toBe(1);
        expect(await store.pruneFinishedRuns(olderThanMs, 10)).toBe(0);

        for (const workflowId of finished) {
          expect(await store.load(workflowId)).toBeNull();
          expect(await store.history(workflowId)).toEqual([]);
        }
        expect(await store.load(running.transition.instance.workflowId)).not.toBeNull();
        expect((await store.history(running.transition.instance.workflowId)).length).toBeGreaterThan(0);
      });
    });

    describe('outbox', () => {
      it('claims due rows only, at most `limit`, oldest first', async () => {
        // Older than anything other tests leave due, so these are the first in line.
        const past = Date.now() - 60_000;
        const due = [0, 1, 2].map((offset) => outboxMessage({ availableAt: new Date(past + offset).toISOString() }));
        const future = outboxMessage({ availableAt: new Date(Date.now() + 3_600_000).toISOString() });
        await committed({ ...createWrite(), outbox: [due[2], future, due[0], due[1]] });

        expect(ids(await store.claimDueOutbox(2, 60_000))).toEqual([due[0].id, due[1].id]);
        const rest = ids(await claimAll());
        expect(rest).toContain(due[2].id);
        expect(rest).not.toContain(future.id);
        expect(rest).not.toContain(due[0].id);
        await store.deleteOutbox([...ids(due), future.id]);
      });

      it('returns claimed rows as written, leased until the end of the lease', async () => {
        const row = outboxMessage({ availableAt: new Date(Date.now() - 1_000).toISOString() });
        await committed({ ...createWrite(), outbox: [row] });
        const before = Date.now();

        const claimed = (await claimAll()).find((message) => message.id === row.id);

        expect(claimed).toEqual({ ...row, leaseUntil: expect.stringMatching(ISO_TIMESTAMP) });
        expect(Date.parse(claimed?.leaseUntil ?? '')).toBeGreaterThanOrEqual(before + 59_000);
        await store.deleteOutbox([row.id]);
      });

      it('leaves a row leased by its writer alone until the lease ends, whatever its due time', async () => {
        const now = Date.now();
        const leased = outboxMessage({ availableAt: new Date(now - 1_000).toISOString(), leaseUntil: new Date(now + 400).toISOString() });
        await committed({ ...createWrite(), outbox: [leased] });

        expect(ids(await claimAll())).not.toContain(leased.id);
        await sleep(600);
        expect(ids(await claimAll())).toContain(leased.id);
        await store.deleteOutbox([leased.id]);
      });

      it('keeps a delayed row due at its time even when the delay equals the lease', async () => {
        const delayed = outboxMessage({ availableAt: new Date(Date.now() + 60_000).toISOString() });
        await committed({ ...createWrite(), outbox: [delayed] });

        expect(ids(await store.claimDueOutbox(10_000, 60_000))).not.toContain(delayed.id);
        await store.deleteOutbox([delayed.id]);
      });

      it('does not hand out a leased row again until its lease has expired', async () => {
        const row = outboxMessage({ availableAt: new Date(Date.now() - 1_000).toISOString() });
        await committed({ ...createWrite(), outbox: [row] });

        expect(ids(await store.claimDueOutbox(10_000, 300))).toContain(row.id);
        expect(ids(await store.claimDueOutbox(10_000, 300))).not.toContain(row.id);
        await sleep(450);
        expect(ids(await store.claimDueOutbox(10_000, 60_000))).toContain(row.id);
        await store.deleteOutbox([row.id]);
      });

      it('never gives one row to two concurrent claims', async () => {
        // Older than anything other tests leave due (a lease also ends when the connection that took it closes).
        const rows = Array.from({ length: 40 }, () => outboxMessage({ availableAt: new Date(Date.now() - 120_000).toISOString() }));
        await committed({ ...createWrite(), outbox: rows });

        const [a, b, c] = await Promise.all([
          store.claimDueOutbox(25, 60_000),
          store.claimDueOutbox(25, 60_000),
          store.claimDueOutbox(25, 60_000),
        ]);

        const all = [...ids(a), ...ids(b), ...ids(c)];
        expect(new Set(all).size).toBe(all.length);
        expect(all).toEqual(expect.arrayContaining(ids(rows)));
        await store.deleteOutbox(ids(rows));
      });

      it('never hands out deleted rows again', async () => {
        const rows = [outboxMessage(), outboxMessage()];
        await committed({ ...createWrite(), outbox: rows });
        await sleep(5);
        expect(ids(await store.claimDueOutbox(10_000, 1))).toEqual(expect.arrayContaining(ids(rows)));

        await store.deleteOutbox([rows[0].id]);
        await store.deleteOutbox([]);

        await sleep(20);
        const claimed = ids(await claimAll());
        expect(claimed).toContain(rows[1].id);
        expect(claimed).not.toContain(rows[0].id);
        await store.deleteOutbox([rows[1].id]);
      });
    });
  });
}
