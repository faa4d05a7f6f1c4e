import type { WorkflowDefinition } from '../definition/workflow-definition';
import type { WaitNode } from '../definition/workflow-graph';
import type { ActivePositionView } from '../query/workflow-view';

/** A signal or approval a running run is parked at (one per waiting path), as the run page offers it. */
export interface RunWait {
  /** The signal's name, e.g. `manager-approval`. */
  readonly name: string;
  /** `signal` for `awaitSignal`, `approval` for `awaitApproval`. */
  readonly kind: 'signal' | 'approval';
  /** The path waiting (`main`, or a fork's path). */
  readonly path: string;
}

/** The signal and approval waits among a run's active positions (sleeps are not offered: their timer ends them). */
export function runWaits(definition: WorkflowDefinition | undefined, active: readonly ActivePositionView[]): RunWait[] {
  if (!definition) return [];
  const waits = [...definition.graph.nodes.values()].filter(
    (node): node is WaitNode => node.kind === 'wait' && node.wait !== 'sleep' && node.signal !== undefined,
  );
  return active.flatMap((position) => {
    const node = waits.find((wait) => wait.signal === position.waitingFor);
    if (!node) return [];
    return [{ name: node.signal!, kind: node.wait === 'approval' ? ('approval' as const) : ('signal' as const), path: position.path }];
  });
}
