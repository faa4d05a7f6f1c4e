import type {
  BranchNode,
  EndNode,
  ForkNode,
  JoinNode,
  GuardNode,
  LoopNode,
  NodeId,
  RepeatNode,
  StepNode,
  WaitNode,
  WorkflowGraph,
  WorkflowNode,
} from '../definition/workflow-graph';
import type { JsonObject } from '../state/workflow-state.interface';
import type { LoopIteration, RecordedError } from './workflow-instance';

/** Error code of a branch value with no case and no `otherwise`. */
export const BRANCH_NO_CASE = 'BRANCH_NO_CASE';
/** Error code of a loop whose condition still does not hold after `maxIterations` passes. */
export const LOOP_LIMIT_EXCEEDED = 'LOOP_LIMIT_EXCEEDED';
/** Error code of a branch discriminator, loop condition or guard that threw. */
export const CONDITION_ERROR = 'CONDITION_ERROR';
/** Error code of a position whose node the deployed definition does not have. */
export const NODE_NOT_IN_DEFINITION = 'NODE_NOT_IN_DEFINITION';

/** Where walking the graph stops: at a step to run, at a wait, at the end of the run, or at a failure. */
export type WalkStop =
  | { readonly kind: 'step'; readonly node: StepNode; readonly iterations: readonly LoopIteration[] }
  | { readonly kind: 'wait'; readonly node: WaitNode; readonly iterations: readonly LoopIteration[] }
  | { readonly kind: 'completed' }
  | { readonly kind: 'failed'; readonly error: RecordedError }
  /** A fork: the engine starts its paths. */
  | { readonly kind: 'fork'; readonly node: ForkNode; readonly iterations: readonly LoopIteration[] }
  /** The join of a fork: the path walking there is finished. */
  | { readonly kind: 'joined'; readonly node: JoinNode; readonly iterations: readonly LoopIteration[] };

/** What one node's rule decides: stop, or go on at another node with the loop passes updated. */
type Move = WalkStop | { readonly kind: 'continue'; readonly to: NodeId | null; readonly iterations: readonly LoopIteration[] };

/** Far more hops than any definition needs without reaching a step; a guard against a graph that never reaches one. */
const MAX_HOPS = 100_000;

/**
 * Follows the graph from `from` until a step node (whose command the engine issues), the end of the run, or a
 * failure: branches, loop heads and checks, guards and ends are decided on `state`, in the same transition.
 * Pure: conditions are functions of the state only.
 */
export function walkGraph(graph: WorkflowGraph, state: JsonObject, from: NodeId | null, iterations: readonly LoopIteration[]): WalkStop {
  let at = from;
  let loops = iterations;
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    if (at === null) return { kind: 'completed' };
    const node = graph.nodes.get(at);
    if (!node) return failed(NODE_NOT_IN_DEFINITION, `node ${at} is not in the deployed definition`, at, loops);
    const move = applyRule(node, state, loops);
    if (move.kind !== 'continue') return move;
    at = move.to;
    loops = move.iterations;
  }
  return failed(LOOP_LIMIT_EXCEEDED, `the graph ran ${MAX_HOPS} nodes without reaching a step`, at ?? 'end', loops);
}

/** The one switch over node kinds. */
function applyRule(node: WorkflowNode, state: JsonObject, loops: readonly LoopIteration[]): Move {
  switch (node.kind) {
    case 'step':
      return { kind: 'step', node, iterations: loops };
    case 'branch':
      return branchRule(node, state, loops);
    case 'loop':
      return loopRule(node, loops);
    case 'repeat':
      return repeatRule(node, state, loops);
    case 'guard':
      return guardRule(node, state, loops);
    case 'end':
      return endRule(node, loops);
    case 'fork':
      return { kind: 'fork', node, iterations: loops };
    case 'join':
      return { kind: 'joined', node, iterations: loops };
    case 'wait':
      return { kind: 'wait', node, iterations: loops };
  }
}

function branchRule(node: BranchNode, state: JsonObject, loops: readonly LoopIteration[]): Move {
  const result = evaluate(() => node.discriminator(state), node.id, loops);
  if (!result.ok) return result.stop;
  const key = String(result.value);
  const entry = node.cases.find((candidate) => candidate.value === key)?.entry ?? node.otherwise;
  if (entry === undefined) {
    return failed(
      BRANCH_NO_CASE,
      `branch ${node.label} has no case for the value ${JSON.stringify(key)} and no otherwise`,
      node.id,
      loops,
      {
        value: key,
      },
    );
  }
  return { kind: 'continue', to: entry, iterations: loops };
}

function loopRule(node: LoopNode, loops: readonly LoopIteration[]): Move {
  return { kind: 'continue', to: node.body, iterations: [...loops, { loop: node.name, iteration: 1 }] };
}

function repeatRule(node: RepeatNode, state: JsonObject, loops: readonly LoopIteration[]): Move {
  const done = evaluate(() => node.until(state), node.id, loops);
  if (!done.ok) return done.stop;
  const outer = loops.filter((pass) => pass.loop !== node.name);
  if (Boolean(done.value)) return { kind: 'continue', to: node.next, iterations: outer };
  const pass = loops.find((candidate) => candidate.loop === node.name)?.iteration ?? node.maxIterations;
  if (pass >= node.maxIterations) {
    return failed(
      LOOP_LIMIT_EXCEEDED,
      `loop ${node.name} ran ${node.maxIterations} passes and ${node.label} still does not hold`,
      node.id,
      loops,
      { loop: node.name, maxIterations: node.maxIterations },
    );
  }
  return { kind: 'continue', to: node.body, iterations: [...outer, { loop: node.name, iteration: pass + 1 }] };
}

function guardRule(node: GuardNode, state: JsonObject, loops: readonly LoopIteration[]): Move {
  const holds = evaluate(() => node.predicate(state), node.id, loops);
  if (!holds.ok) return holds.stop;
  return Boolean(holds.value) ? { kind: 'continue', to: node.next, iterations: loops } : failed(node.code, node.message, node.id, loops);
}

function endRule(node: EndNode, loops: readonly LoopIteration[]): Move {
  if (node.outcome === 'fail') return failed(node.code, node.message, node.id, loops);
  // complete(): on to the finally step (out of every loop), or the end of the run.
  return { kind: 'continue', to: node.next, iterations: [] };
}

/** Runs a condition; one that throws fails the run with `CONDITION_ERROR` (a redelivery would throw again). */
function evaluate<T>(
  condition: () => T,
  at: NodeId,
  loops: readonly LoopIteration[],
): { readonly ok: true; readonly value: T } | { readonly ok: false; readonly stop: WalkStop } {
  try {
    return { ok: true, value: condition() };
  } catch (error) {
    return {
      ok: false,
      stop: failed(CONDITION_ERROR, `the condition of ${at} threw: ${error instanceof Error ? error.message : String(error)}`, at, loops),
    };
  }
}

export function failed(code: string, message: string, at: NodeId, loops: readonly LoopIteration[], details?: JsonObject): WalkStop {
  return {
    kind: 'failed',
    error: { code, message, step: at, ...(details ? { details } : {}), ...(loops.length > 0 ? { iterations: loops } : {}) },
  };
}
