import 'reflect-metadata';
import type { Transition, TransitionContext } from '../engine/transition';
import { TransitionEngine } from '../engine/transition-engine';
import type { StepOutcome } from '../engine/step-outcome';
import type { WorkflowInstance } from '../engine/workflow-instance';
import { InMemoryWorkflowStore } from '../persistence/in-memory/in-memory-workflow-store';
import { TransitionNotifier } from '../persistence/transition-notifier';
import type { JsonObject, JsonValue } from '../state/workflow-state.interface';
import { WorkflowQuery } from './workflow-query';
import { prng, randomDefinition } from '../../test/support/random-workflows';

/** A JSON value of bounded depth: scalars, null, arrays and objects. */
function randomJson(random: () => number, depth = 0): JsonValue {
  const roll = random();
  if (depth > 2 || roll < 0.5)
    return [() => Math.floor(random() * 1000), () => `s${Math.floor(random() * 100)}`, () => null, () => random() < 0.5][
      Math.floor(random() * 4)
    ]();
  if (roll < 0.75) return Array.from({ length: Math.floor(random() * 3) }, () => randomJson(random, depth + 1));
  return Object.fromEntries(Array.from({ length: Math.floor(random() * 3) }, (_, i) => [`k${i}`, randomJson(random, depth + 1)]));
}

/** A patch over a small key pool, so that later steps overwrite earlier outputs; now and then it restates the id. */
function randomPatch(random: () => number, workflowId: string): JsonObject {
  const patch: JsonObject = {};
  for (const key of ['a', 'b', 'c', 'nested', 'list']) if (random() < 0.4) patch[key] = randomJson(random);
  if (random() < 0.1) patch.workflowId = workflowId;
  return patch;
}

function randomOutcome(random: () => number, instance: WorkflowInstance): StepOutcome {
  const roll = random();
  if (instance.cancelReason !== null && instance.cursor?.role === 'forward' && roll < 0.3) return { kind: 'skipped' };
  if (roll < 0.6) return { kind: 'succeeded', patch: randomPatch(random, instance.workflowId) };
  // A patch that changes workflowId is rejected by the engine: the step fails, nothing is applied.
  if (roll < 0.65) return { kind: 'succeeded', patch: { workflowId: 'another', a: 1 } };
  if (roll < 0.75) return { kind: 'failed', error: { code: 'BUSINESS', message: 'no' } };
  return { kind: 'errored', message: 'boom', timedOut: false };
}

const SEEDS = 300;

describe('WorkflowQuery.stateAt over random workflows', () => {
  it.each(Array.from({ length: SEEDS }, (_, seed) => seed))(
    'replays the state the engine stored after every event (seed %i)',
    async (seed) => {
      const random = prng(seed);
      const engine = new TransitionEngine();
      const store = new InMemoryWorkflowStore();
      const query = new WorkflowQuery(store, new TransitionNotifier());
      const definition = randomDefinition(random, 'replay-flow');
      const workflowId = `wf-${seed}`;
      let clock = Date.UTC(2030, 0, 1);
      let lastId = 0;
      const context = (): TransitionContext => ({
        now: new Date((clock += 1_000)),
        newId: () => `m${seed}-${++lastId}`,
        random,
        causationId: 'replay',
      });
      /** The instance's state right after each event, by sequence: the state of the transition that recorded it. */
      const expected = new Map<number, JsonObject>();
      const commit = async (transition: Transition, expectedVersion: number): Promise<WorkflowInstance> => {
        expect(await store.commit([{ inboxMessageId: null, expectedVersion, transition, outbox: [] }])).toEqual(['committed']);
        for (const event of transition.events) expected.set(event.sequence, structuredClone(transition.instance.state));
        return transition.instance;
      };

      const initial: JsonObject = { workflowId, a: randomJson(random), nested: { k0: randomJson(random) } };
      let instance = await commit(engine.start(definition, initial, context()), 0);
      let retries = 2;
      for (let transitions = 0; transitions < 200; transitions++) {
        if (instance.status === 'running') {
          const cancellable = instance.cancelReason === null && instance.cursor?.role === 'forward';
          const transition =
            cancellable && random() < 0.08
              ? engine.requestCancel(definition, instance, 'random cancel', context())
              : engine.applyOutcome(definition, instance, randomOutcome(random, instance), context());
          instance = await commit(transition, instance.version);
        } else if (
          instance.status === 'failed' &&
          instance.compensationError === null &&
          definition.stepsByName.get(instance.error?.step ?? '')?.role === 'forward' &&
          retries-- > 0
        ) {
          instance = await commit(engine.retry(definition, instance, context()), instance.version);
        } else {
          break;
        }
      }

      const history = await query.history(workflowId);
      expect(history.map((event) => event.sequence)).toEqual([...expected.keys()]);
      for (const [sequence, state] of expected) {
        expect({ sequence, state: await query.stateAt(workflowId, sequence) }).toEqual({ sequence, state });
      }
      expect(await query.stateAt(workflowId, instance.sequence)).toEqual((await store.load(workflowId))?.state);
      expect(await query.stateAt(workflowId, 0)).toBeNull();
      expect(await query.stateAt(workflowId, instance.sequence + 1)).toBeNull();
      expect(await query.stateAt(workflowId, 1.5)).toBeNull();
      expect(await query.stateAt('unknown', 1)).toBeNull();
    },
  );
});
