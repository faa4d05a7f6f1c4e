import type { JsonObject } from '../state/workflow-state.interface';
import type { StepDefinition } from './workflow-definition';

/**
 * The id of a node of a workflow graph. Deterministic from the definition's shape, so that a stored
 * position stays valid across deployments of the same definition:
 * - a step node: the step's name (unique in its workflow), e.g. `ProcessPayment`;
 * - a loop head / loop check: `loop:<name>` / `repeat:<name>` (the loop's name is unique);
 * - a branch, guard or end: `branch#<n>`, `guard#<n>`, `complete#<n>`, `fail#<n>`, numbered in definition order.
 */
export type NodeId = string;

/** A condition of the state, evaluated by the engine inside the transition after the step before it. */
export type StatePredicate = (state: Readonly<JsonObject>) => boolean;

/** A step to run: issues its `Execute<Step>Command`; on success the run goes on at `next`. */
export interface StepNode {
  readonly kind: 'step';
  readonly id: NodeId;
  readonly step: StepDefinition;
  /** The node after this step; `null` after the terminal step (the run completes) or the last onFailure step. */
  readonly next: NodeId | null;
}

/** One case of a branch: the discriminator value it matches and the entry of its sub-flow. */
export interface BranchCase {
  readonly value: string;
  readonly entry: NodeId;
}

/** Chooses a sub-flow by the value of `discriminator(state)` (as a string); each case rejoins at `next`. */
export interface BranchNode {
  readonly kind: 'branch';
  readonly id: NodeId;
  readonly discriminator: (state: Readonly<JsonObject>) => unknown;
  /** The discriminator's source text (e.g. `s.kind`), for diagrams and transitions tables. */
  readonly label: string;
  readonly cases: readonly BranchCase[];
  /** The sub-flow for any other value; without it such a value fails the run with `BRANCH_NO_CASE`. */
  readonly otherwise?: NodeId;
  /** Where the cases rejoin the main flow (for diagrams; each case's last node already leads there). */
  readonly next: NodeId | null;
}

/** The head of a `repeatUntil` loop: starts pass 1 of `body`. */
export interface LoopNode {
  readonly kind: 'loop';
  readonly id: NodeId;
  readonly name: string;
  readonly body: NodeId;
  /** The loop's check node, where each pass of the body ends. */
  readonly check: NodeId;
  readonly next: NodeId | null;
}

/** The end of a loop pass: exits to the loop's `next` when `until(state)` holds, else starts the next pass (up to `maxIterations`). */
export interface RepeatNode {
  readonly kind: 'repeat';
  readonly id: NodeId;
  /** The id of the loop head. */
  readonly loop: NodeId;
  readonly name: string;
  readonly until: StatePredicate;
  /** The condition's source text (e.g. `s.documentsComplete`), for diagrams and transitions tables. */
  readonly label: string;
  readonly maxIterations: number;
  readonly body: NodeId;
  readonly next: NodeId | null;
}

/** `validateState`: goes on at `next` when `predicate(state)` holds, else fails the run with `code` (no retry). */
export interface GuardNode {
  readonly kind: 'guard';
  readonly id: NodeId;
  readonly predicate: StatePredicate;
  readonly code: string;
  readonly message: string;
  readonly next: NodeId | null;
}

/** `complete()` (goes on at `next`, the finally step, or completes) or `fail(code, message)` (the failure path). */
export type EndNode =
  | { readonly kind: 'end'; readonly id: NodeId; readonly outcome: 'complete'; readonly next: NodeId | null }
  | { readonly kind: 'end'; readonly id: NodeId; readonly outcome: 'fail'; readonly code: string; readonly message: string };

/**
 * A durable wait: the run parks (no message in flight, no worker busy) until a signal arrives or a timer fires.
 * Ids: `signal:<name>` for signal and approval waits (signal names are unique in a workflow), `sleep#<n>` for timers.
 */
export interface WaitNode {
  readonly kind: 'wait';
  readonly id: NodeId;
  /** `signal`: `awaitSignal`; `approval`: `awaitApproval` (payload `ApprovalDecision`); `sleep`: `sleep` / `sleepUntil`. */
  readonly wait: 'signal' | 'approval' | 'sleep';
  /** The signal's name (signal and approval waits). */
  readonly signal?: string;
  /** The class-validator class of the payload. */
  readonly payload?: new () => object;
  /** The patch the signal makes. */
  readonly apply?: (state: Readonly<JsonObject>, payload: Readonly<JsonObject>) => object;
  /** How long a signal wait lasts at most. */
  readonly timeoutMs?: number;
  /** Where the timeout leads: the entry of `onTimeout`, or absent (the run fails with `SIGNAL_TIMEOUT`). */
  readonly onTimeout?: NodeId | null;
  /** Where an approval's rejection leads: the entry of `onRejection`, or absent (the run fails with `APPROVAL_REJECTED`). */
  readonly onRejection?: NodeId | null;
  /** A sleep's duration, or `sleepUntil`'s date function. */
  readonly sleepMs?: number;
  readonly sleepUntil?: (state: Readonly<JsonObject>) => Date;
  /** Wait only when this holds as the run arrives (else go on at `next`), with its source text for diagrams. */
  readonly when?: StatePredicate;
  readonly whenLabel?: string;
  /** The readable position: `AwaitSignal(<name>)`, `AwaitApproval(<name>)`, `Sleep(<ms>ms)` or `SleepUntil(<label>)`. */
  readonly label: string;
  readonly next: NodeId | null;
}

/** A node of a workflow graph. */
export type WorkflowNode = StepNode | BranchNode | LoopNode | RepeatNode | GuardNode | EndNode | WaitNode | ForkNode | JoinNode;

/** The node kinds, for exhaustive switches. */
export type WorkflowNodeKind = WorkflowNode['kind'];

/**
 * The compiled, immutable form of a definition: what the engine interprets. Compensations are not nodes:
 * each step node's `step.compensation` runs on the failure path, in reverse order of the steps completed.
 */
export interface WorkflowGraph {
  /** The first node (the `startWith` step). */
  readonly entry: NodeId;
  /** The first step of the onFailure chain (run after compensation), if any. */
  readonly failureEntry: NodeId | null;
  /** The `finally` step, where `complete()` leads; absent for a definition ended with `build()`. */
  readonly finallyNode: NodeId | null;
  readonly nodes: ReadonlyMap<NodeId, WorkflowNode>;
}

/** `fork(path, path, ...)`: starts every path at once (one transition); each path's last node leads to `join`. */
export interface ForkNode {
  readonly kind: 'fork';
  /** `fork#<n>`, numbered in definition order. */
  readonly id: NodeId;
  /** The first node of each path, in path order. */
  readonly paths: readonly NodeId[];
  /** The join node where the paths end. */
  readonly join: NodeId;
}

/** Where the paths of a fork end: once every path reached it, the patches are merged and the run goes on at `next` (the join step). */
export interface JoinNode {
  readonly kind: 'join';
  /** `join#<n>`, the number of its fork. */
  readonly id: NodeId;
  readonly fork: NodeId;
  readonly next: NodeId | null;
}
