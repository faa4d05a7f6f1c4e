import { Phase } from '../definition/phases';
import type { StepDefinition, WorkflowDefinition } from '../definition/workflow-definition';
import type { NodeId, WaitNode, WorkflowNode } from '../definition/workflow-graph';
import type { ContractTransition, TransitionOutcome } from './contract-transition';
import { GraphAnalysis } from './graph-analysis';
import { compensationsInRunOrder } from './workflow-phases';

/** The prefix of a diagram's choice nodes (branches, loop checks, guards). */
export const CHOICE_PREFIX = 'choice_';
/** The prefixes of a diagram's fork and join nodes (`<<fork>>`, `<<join>>`). */
export const FORK_PREFIX = 'fork_';
export const JOIN_PREFIX = 'join_';
/** The condition of a path step that finishes after another path failed. */
const ANOTHER_PATH_FAILED = 'another path failed';
/** The condition under which a failure inside a fork path skips compensation: no other path's step can still complete. */
const NO_OTHER_PATH_IN_FLIGHT = 'no other path step in flight';

/**
 * The transitions table of a workflow, as the transition engine moves its runs: the forward flow (through
 * branches, loop checks and guards, whose conditions are the rows' `when`), the failure path (`Compensating`,
 * compensations latest first, `Compensated`, the onFailure chain, a terminal phase), cancellation and retry.
 * With `diagram`, conditions are not folded into the rows: branches, loop checks and guards become choice
 * nodes (`choice_<node>`) with their own labelled edges, for the Mermaid diagram.
 */
export function deriveTransitions(definition: WorkflowDefinition, diagram = false): readonly ContractTransition[] {
  return new TransitionsTable(definition, diagram).rows();
}

class TransitionsTable {
  private readonly analysis: GraphAnalysis;
  private readonly choices: ContractTransition[] = [];
  private readonly choicesDone = new Set<NodeId>();

  constructor(
    private readonly definition: WorkflowDefinition,
    private readonly diagram: boolean,
  ) {
    this.analysis = new GraphAnalysis(definition);
  }

  rows(): ContractTransition[] {
    const { definition } = this;
    const compensations = compensationsInRunOrder(definition);
    const forward = [
      ...this.walk(Phase.NotStarted, 'started', definition.graph.entry, [], new Set()),
      ...definition.steps.flatMap((step) => this.forwardTransitions(step)),
      ...[...definition.graph.nodes.values()].flatMap((node) => (node.kind === 'wait' ? this.waitTransitions(node) : [])),
    ];
    return [
      ...forward,
      ...this.choices,
      ...(compensations.length > 0 ? this.compensatingTransitions() : []),
      ...compensations.flatMap((step) => this.compensationTransitions(step)),
      ...(compensations.length > 0 ? this.compensatedTransitions() : []),
      ...this.onFailureTransitions(compensations.length > 0),
      ...this.retryTransitions(),
    ];
  }

  /** Where a failure at `at` leads: `Compensating` when something is to undo, else the onFailure chain or `Failed`. */
  private failureRows(from: string, on: TransitionOutcome, at: NodeId, when: readonly string[]): ContractTransition[] {
    const status = this.analysis.undoStatus(at);
    const otherwise = this.failureEntry() ?? Phase.Failed;
    // Inside a fork path the run waits for the other paths' steps in flight (they finish and are recorded, see
    // pathStoppedRows), so it skips compensation only when none is in flight.
    const nothing = this.analysis.inForkPath(at) ? [...when, 'nothing to undo', NO_OTHER_PATH_IN_FLIGHT] : [...when, 'nothing to undo'];
    if (status === 'always') return [row(from, on, Phase.Compensating, when)];
    if (status === 'never') return [row(from, on, otherwise, this.analysis.inForkPath(at) ? [...when, NO_OTHER_PATH_IN_FLIGHT] : when)];
    return [row(from, on, Phase.Compensating, [...when, 'something to undo']), row(from, on, otherwise, nothing)];
  }

  /**
   * A path step that finishes after another path failed (the fork is stopping): it is recorded, then the failure
   * path runs, and compensation undoes it (when it has a compensation) with what the other paths completed.
   */
  private pathStoppedRows(step: StepDefinition): ContractTransition[] {
    if (!this.analysis.inForkPath(step.name)) return [];
    if (step.compensation) return [row(step.name, 'succeeded', Phase.Compensating, [ANOTHER_PATH_FAILED])];
    return this.failureRows(step.name, 'succeeded', step.name, [ANOTHER_PATH_FAILED]).map((r) =>
      r.when?.endsWith(` and ${NO_OTHER_PATH_IN_FLIGHT}`) ? { ...r, when: r.when.slice(0, -` and ${NO_OTHER_PATH_IN_FLIGHT}`.length) } : r,
    );
  }

  private failureEntry(): string | undefined {
    return this.definition.onFailure[0]?.name;
  }

  /**
   * The rows from `from` on `on` to wherever the graph leads from `at`: a step's phase, `Completed`, or the
   * failure path, with the conditions met on the way as `when` (or, for a diagram, to the next choice node).
   */
  private walk(
    from: string,
    on: TransitionOutcome,
    at: NodeId | null,
    when: readonly string[],
    seen: ReadonlySet<NodeId>,
  ): ContractTransition[] {
    if (at === null) return [row(from, on, Phase.Completed, when)];
    const node = this.definition.graph.nodes.get(at)!;
    if (node.kind === 'step') return [row(from, on, node.step.name, when)];
    if (node.kind === 'wait' && node.when && !seen.has(at)) {
      return [
        row(from, on, node.label, [...when, `${node.whenLabel}`]),
        ...this.walk(from, on, node.next, [...when, `not ${node.whenLabel}`], new Set([...seen, at])),
      ];
    }
    if (node.kind === 'wait') return [row(from, on, node.label, when)];
    if (node.kind === 'loop') return this.walk(from, on, node.body, when, seen);
    if (node.kind === 'end' && node.outcome === 'complete') return this.walk(from, on, node.next, [...when, 'complete()'], seen);
    if (node.kind === 'end') return this.failureRows(from, on, node.id, [...when, `fail ${node.code}`]);
    if (node.kind === 'fork') {
      if (!this.diagram) return node.paths.flatMap((entry, index) => this.walk(from, on, entry, [...when, `fork path ${index + 1}`], seen));
      this.addForkJoin(node);
      return [row(from, on, forkJoinId(node.id), when)];
    }
    if (node.kind === 'join') {
      if (!this.diagram) return this.walk(from, on, node.next, [...when, 'every path joined'], seen);
      return [row(from, on, forkJoinId(node.id), when)];
    }
    if (seen.has(at)) return [];
    if (this.diagram) {
      this.addChoice(node);
      return [row(from, on, choiceId(node.id), when)];
    }
    return this.choiceRows(node, from, on, when, new Set([...seen, at]));
  }

  /** A diagram's fork node (to each path) and join node (to the join step), once. */
  private addForkJoin(node: Extract<WorkflowNode, { kind: 'fork' }>): void {
    if (this.choicesDone.has(node.id)) return;
    this.choicesDone.add(node.id);
    const join = this.definition.graph.nodes.get(node.join);
    this.choices.push(
      ...node.paths.flatMap((entry) => this.walk(forkJoinId(node.id), 'auto', entry, [], new Set([node.id]))),
      ...(join?.kind === 'join' ? this.walk(forkJoinId(join.id), 'auto', join.next, [], new Set([join.id])) : []),
    );
  }

  private addChoice(node: WorkflowNode): void {
    if (this.choicesDone.has(node.id)) return;
    this.choicesDone.add(node.id);
    this.choices.push(...this.choiceRows(node, choiceId(node.id), 'auto', [], new Set([node.id])));
  }

  /** The rows out of a branch, a loop check or a guard. */
  private choiceRows(
    node: WorkflowNode,
    from: string,
    on: TransitionOutcome,
    when: readonly string[],
    seen: ReadonlySet<NodeId>,
  ): ContractTransition[] {
    switch (node.kind) {
      case 'branch':
        return [
          ...node.cases.flatMap((c) => this.walk(from, on, c.entry, [...when, `${node.label} = ${c.value}`], seen)),
          ...(node.otherwise !== undefined
            ? this.walk(from, on, node.otherwise, [...when, `${node.label} otherwise`], seen)
            : this.failureRows(from, on, node.id, [...when, `${node.label} no case`])),
        ];
      case 'repeat':
        return [
          ...this.walk(from, on, node.next, [...when, `until ${node.label}`], seen),
          ...this.walk(from, on, node.body, [...when, `repeat ${node.name} while not ${node.label}`], seen),
          ...this.failureRows(from, on, node.id, [...when, `${node.name} over ${node.maxIterations} passes`]),
        ];
      case 'guard':
        return [
          ...this.walk(from, on, node.next, [...when, `valid ${node.code}`], seen),
          ...this.failureRows(from, on, node.id, [...when, `not valid ${node.code}`]),
        ];
      default:
        return [];
    }
  }

  /** Out of a wait: its signal (an approval: approved or rejected), its timeout or timer, a cancel (compensation starts at once). */
  private waitTransitions(node: WaitNode): ContractTransition[] {
    const from = node.label;
    const signal =
      node.wait === 'sleep'
        ? this.walk(from, 'timer', node.next, [], new Set())
        : node.wait === 'approval'
          ? [
              ...this.walk(from, 'approved', node.next, [], new Set()),
              ...(node.onRejection
                ? this.walk(from, 'rejected', node.onRejection, [], new Set())
                : this.failureRows(from, 'rejected', node.id, ['APPROVAL_REJECTED'])),
            ]
          : this.walk(from, 'signal', node.next, [], new Set());
    const timeout =
      node.wait === 'sleep' || node.timeoutMs === undefined
        ? []
        : node.onTimeout
          ? this.walk(from, 'timeout', node.onTimeout, [], new Set())
          : this.failureRows(from, 'timeout', node.id, ['SIGNAL_TIMEOUT']);
    const before = this.analysis.undoStatus(node.id);
    const cancel =
      before === 'always'
        ? [row(from, 'cancelled', Phase.Compensating, [])]
        : before === 'never'
          ? [row(from, 'cancelled', Phase.Cancelled, [])]
          : [
              row(from, 'cancelled', Phase.Compensating, ['something to undo']),
              row(from, 'cancelled', Phase.Cancelled, ['nothing to undo']),
            ];
    return [...signal, ...timeout, ...cancel];
  }

  private forwardTransitions(step: StepDefinition): ContractTransition[] {
    const node = this.definition.graph.nodes.get(step.name);
    const next = node?.kind === 'step' ? node.next : null;
    return [
      ...this.walk(step.name, 'succeeded', next, [], new Set()),
      ...this.pathStoppedRows(step),
      ...this.failureRows(step.name, 'failed', step.name, []),
      ...this.failureRows(step.name, 'exhausted', step.name, []),
      ...this.cancelRows(step),
    ];
  }

  /** A cancel: the completed steps are undone; the step's own compensation only if it finished before the cancel took effect. */
  private cancelRows(step: StepDefinition): ContractTransition[] {
    const before = this.analysis.undoStatus(step.name);
    const to = (status: string, when: readonly string[]): ContractTransition[] =>
      status === 'always'
        ? [row(step.name, 'cancelled', Phase.Compensating, when)]
        : status === 'never'
          ? [row(step.name, 'cancelled', Phase.Cancelled, when)]
          : [
              row(step.name, 'cancelled', Phase.Compensating, [...when, 'something to undo']),
              row(step.name, 'cancelled', Phase.Cancelled, [...when, 'nothing to undo']),
            ];
    if (!step.compensation || before === 'always') return to(before, []);
    return [row(step.name, 'cancelled', Phase.Compensating, [`${step.name} completed`]), ...to(before, [`${step.name} not completed`])];
  }

  /** Out of `Compensating`: the compensation of the latest completed step that has one. */
  private compensatingTransitions(): ContractTransition[] {
    return [...this.definition.steps]
      .reverse()
      .filter((step) => step.compensation !== undefined)
      .map((step) => row(Phase.Compensating, 'auto', step.compensation!.name, [`undo ${step.name}`]));
  }

  private compensationTransitions(compensation: StepDefinition): ContractTransition[] {
    const forward = this.definition.steps.find((step) => step.compensation === compensation)!;
    const after = this.analysis.compensationAfter(forward.name);
    const targets = [
      ...after.next
        .slice()
        .reverse()
        .map((name) => ({ to: this.definition.stepsByName.get(name)!.compensation!.name, when: `undo ${name}` })),
      ...(after.mayEnd ? [{ to: Phase.Compensated, when: 'nothing left to undo' }] : []),
    ];
    const succeeded =
      targets.length === 1
        ? [row(compensation.name, 'succeeded', targets[0].to, [])]
        : targets.map((target) => row(compensation.name, 'succeeded', target.to, [target.when]));
    return [...succeeded, row(compensation.name, 'failed', Phase.Failed, []), row(compensation.name, 'exhausted', Phase.Failed, [])];
  }

  /** Out of `Compensated`: a cancelled run ends, a failed one runs its onFailure chain (or ends `Compensated`). */
  private compensatedTransitions(): ContractTransition[] {
    const rows = [row(Phase.Compensated, 'auto', Phase.Cancelled, ['cancel requested'])];
    const entry = this.failureEntry();
    if (entry) rows.push(row(Phase.Compensated, 'auto', entry, ['no cancel']));
    return rows;
  }

  /** The onFailure chain runs step by step; its end ends the run (`Compensated` or `Failed`), a failure in it ends it `Failed`. */
  private onFailureTransitions(canCompensate: boolean): ContractTransition[] {
    const chain = this.definition.onFailure;
    return chain.flatMap((step, index) => {
      const next = chain[index + 1];
      const succeeded = next
        ? [row(step.name, 'succeeded', next.name, [])]
        : canCompensate
          ? [
              row(step.name, 'succeeded', Phase.Compensated, ['compensated']),
              row(step.name, 'succeeded', Phase.Failed, ['nothing compensated']),
            ]
          : [row(step.name, 'succeeded', Phase.Failed, [])];
      return [...succeeded, row(step.name, 'failed', Phase.Failed, []), row(step.name, 'exhausted', Phase.Failed, [])];
    });
  }

  /** A run that failed without compensating anything can be retried from the step that failed (not inside a fork path). */
  private retryTransitions(): ContractTransition[] {
    return this.definition.steps
      .filter((step) => this.analysis.undoStatus(step.name) !== 'always' && !this.analysis.inForkPath(step.name))
      .map((step) => row(Phase.Failed, 'retried', step.name, [`${step.name} failed`]));
  }
}

function row(from: string, on: TransitionOutcome, to: string, when: readonly string[]): ContractTransition {
  return when.length > 0 ? { from, on, to, when: when.join(' and ') } : { from, on, to };
}

/** `branch#1` -> `choice_branch_1`, `repeat:collect-documents` -> `choice_repeat_collect_documents`. */
export function choiceId(node: NodeId): string {
  return `${CHOICE_PREFIX}${node.replace(/[^A-Za-z0-9]/g, '_')}`;
}

/** `fork#1` -> `fork_1`, `join#1` -> `join_1`. */
export function forkJoinId(node: NodeId): string {
  return node.replace('#', '_').replace(/[^A-Za-z0-9_]/g, '_');
}
