import type { WorkflowEventKind } from '../engine/workflow-event';
import type { WorkflowContracts } from './workflow-contracts.interface';

/** The phase type of a workflow's `PhaseChanged` data (never for contracts whose events are not typed). */
type PhaseChangedTo<C extends WorkflowContracts> =
  InstanceType<C['events']['PhaseChanged']> extends { readonly data: { readonly to: infer P } } ? Extract<P, string> : never;

/**
 * Type-level views of a generated contracts object, for code that is generic over workflows. A generated
 * file also exports them for its own workflow by name (`ProcessOrderPhase`, `ProcessOrderStep`, `ProcessOrderEventMap`, ...).
 *
 * `PhaseOf` is every phase a run can be in: the listed phases and, for a workflow with a fork, the
 * `Fork(<running steps>)` phases (`` `Fork(${string})` ``), read from the type of its `PhaseChanged` events
 * because the phases object cannot list them.
 *
 * @example
 * type Phase = PhaseOf<typeof processOrderContracts>; // 'NotStarted' | 'ValidateOrder' | ... | 'Cancelled' | `Fork(${string})`
 */
export type PhaseOf<C extends WorkflowContracts> = C['phases'][keyof C['phases']] | PhaseChangedTo<C>;

/** The step names of a workflow: `'ValidateOrder' | 'ProcessPayment' | ...`. */
export type StepOf<C extends WorkflowContracts> = keyof C['commands'] & string;

/** The command of a step (of any step by default): `CommandOf<typeof processOrderContracts, 'ProcessPayment'>`. */
export type CommandOf<C extends WorkflowContracts, S extends StepOf<C> = StepOf<C>> = InstanceType<C['commands'][S]>;

/** The event of a kind (of any kind by default): `EventOf<typeof processOrderContracts, 'Completed'>`. */
export type EventOf<C extends WorkflowContracts, K extends WorkflowEventKind = WorkflowEventKind> = InstanceType<C['events'][K]>;

/**
 * The event of each routing key, for Nest's typed `@EventPattern<EventMapOf<typeof processOrderContracts>>(pattern)`:
 * a handler whose payload is another event does not compile.
 */
export type EventMapOf<C extends WorkflowContracts> = {
  [K in WorkflowEventKind as C['events'][K]['pattern']]: InstanceType<C['events'][K]>;
};
