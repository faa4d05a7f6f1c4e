import type { WorkflowDefinition } from '../definition/workflow-definition';
import type { NodeId, WorkflowGraph, WorkflowNode } from '../definition/workflow-graph';

/** Whether compensation is due when a run fails at a node: on every path there, on some, or on none. */
export type UndoStatus = 'always' | 'maybe' | 'never';

/** The nodes a node leads to on the forward path (without failures). */
export function successors(node: WorkflowNode): NodeId[] {
  switch (node.kind) {
    case 'step':
    case 'guard':
    case 'loop':
      return node.kind === 'loop' ? [node.body] : node.next === null ? [] : [node.next];
    case 'branch':
      return [...node.cases.map((c) => c.entry), ...(node.otherwise !== undefined ? [node.otherwise] : [])];
    case 'repeat':
      return [node.body, ...(node.next === null ? [] : [node.next])];
    case 'end':
      return node.outcome === 'complete' && node.next !== null ? [node.next] : [];
    case 'fork':
      return [...node.paths];
    case 'join':
      return node.next === null ? [] : [node.next];
    case 'wait':
      return [node.next, node.onTimeout, node.onRejection].filter((id): id is NodeId => typeof id === 'string');
  }
}

/**
 * Static facts about a definition's forward graph for its contracts: which compensable steps may or must have
 * completed when a run reaches a node (reachability and dominators over the graph).
 */
export class GraphAnalysis {
  private readonly reach = new Map<NodeId, ReadonlySet<NodeId>>();
  private readonly dominators: ReadonlyMap<NodeId, ReadonlySet<NodeId>>;
  /** For each fork, the nodes of each of its paths (up to its join; nested forks' nodes included). */
  private readonly forkPaths: readonly (readonly ReadonlySet<NodeId>[])[];
  /** The forward step nodes that have a compensation, in definition order. */
  readonly compensable: readonly NodeId[];

  constructor(readonly definition: WorkflowDefinition) {
    const graph = definition.graph;
    this.compensable = definition.steps.filter((step) => step.compensation !== undefined).map((step) => step.name);
    const forks = [...graph.nodes.values()].flatMap((node) =>
      node.kind === 'fork' ? [{ join: node.join, paths: node.paths.map((entry) => nodesUntil(graph, entry, node.join)) }] : [],
    );
    this.forkPaths = forks.map((fork) => fork.paths);
    this.dominators = computeDominators(graph, new Map(forks.map((fork) => [fork.join, fork.paths])));
  }

  /** Whether `at` is inside a fork path (a step there cannot be retried alone). */
  inForkPath(at: NodeId): boolean {
    return this.forkPaths.some((paths) => paths.some((nodes) => nodes.has(at)));
  }

  /** The nodes reachable from `from` by one or more forward edges. */
  reachableFrom(from: NodeId): ReadonlySet<NodeId> {
    const cached = this.reach.get(from);
    if (cached) return cached;
    const seen = new Set<NodeId>();
    const stack = successorsOf(this.definition.graph, from);
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      stack.push(...successorsOf(this.definition.graph, id));
    }
    this.reach.set(from, seen);
    return seen;
  }

  /**
   * The compensable steps that may have completed (at least once) before a run reaches `at`: those before it, and,
   * inside a fork path, those of the other paths of that fork (they run at the same time).
   */
  mayHaveCompleted(at: NodeId): NodeId[] {
    const siblings = this.forkPaths.flatMap((paths) =>
      paths.some((nodes) => nodes.has(at)) ? paths.filter((nodes) => !nodes.has(at)) : [],
    );
    return this.compensable.filter((step) => this.reachableFrom(step).has(at) || siblings.some((nodes) => nodes.has(step)));
  }

  /** Whether every path to `at` passes through `step` first. */
  dominates(step: NodeId, at: NodeId): boolean {
    return step !== at && (this.dominators.get(at)?.has(step) ?? false);
  }

  /** Whether compensation is due when a run fails at `at` (`at` itself not completed). */
  undoStatus(at: NodeId): UndoStatus {
    const may = this.mayHaveCompleted(at);
    if (may.length === 0) return 'never';
    return may.some((step) => this.dominates(step, at)) ? 'always' : 'maybe';
  }

  /**
   * After the compensation of `step` succeeded: the compensable steps whose compensation may run next (those that
   * may have completed before it and are not always followed by another such step before it), and whether
   * nothing may be left (`Compensated`).
   */
  compensationAfter(step: NodeId): { readonly next: NodeId[]; readonly mayEnd: boolean } {
    const candidates = this.mayHaveCompleted(step).filter((other) => other !== step || this.reachableFrom(step).has(step));
    const next = candidates.filter(
      (candidate) => !candidates.some((other) => other !== candidate && this.dominates(candidate, other) && this.dominates(other, step)),
    );
    return { next, mayEnd: !candidates.some((candidate) => this.dominates(candidate, step)) };
  }
}

/** The nodes reachable from `entry` without passing `end`. */
function nodesUntil(graph: WorkflowGraph, entry: NodeId, end: NodeId): ReadonlySet<NodeId> {
  const seen = new Set<NodeId>();
  const stack = [entry];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (id === end || seen.has(id)) continue;
    seen.add(id);
    stack.push(...successorsOf(graph, id));
  }
  return seen;
}

function successorsOf(graph: WorkflowGraph, id: NodeId): NodeId[] {
  const node = graph.nodes.get(id);
  return node ? successors(node) : [];
}

/**
 * Iterative dominator sets from the entry (small graphs: the simple fixed-point algorithm is enough). A join is
 * reached only after every path of its fork: its dominators are those of each path's ends together.
 */
function computeDominators(
  graph: WorkflowGraph,
  joins: ReadonlyMap<NodeId, readonly ReadonlySet<NodeId>[]>,
): ReadonlyMap<NodeId, ReadonlySet<NodeId>> {
  const ids = [...graph.nodes.keys()];
  const predecessors = new Map<NodeId, NodeId[]>(ids.map((id) => [id, []]));
  for (const id of ids) for (const next of successorsOf(graph, id)) predecessors.get(next)?.push(id);
  const all = new Set(ids);
  const dom = new Map<NodeId, Set<NodeId>>(ids.map((id) => [id, id === graph.entry ? new Set([id]) : new Set(all)]));
  for (let changed = true; changed;) {
    changed = false;
    for (const id of ids) {
      if (id === graph.entry) continue;
      const paths = joins.get(id);
      const meet = paths
        ? new Set(
            paths.flatMap((nodes) => [
              ...intersection(
                predecessors
                  .get(id)!
                  .filter((p) => nodes.has(p))
                  .map((p) => dom.get(p)!),
              ),
            ]),
          )
        : intersection(predecessors.get(id)!.map((p) => dom.get(p)!));
      meet.add(id);
      if (meet.size !== dom.get(id)!.size) {
        dom.set(id, meet);
        changed = true;
      }
    }
  }
  return dom;
}

function intersection(sets: readonly ReadonlySet<NodeId>[]): Set<NodeId> {
  return sets.length === 0 ? new Set<NodeId>() : new Set([...sets[0]].filter((d) => sets.every((set) => set.has(d))));
}
