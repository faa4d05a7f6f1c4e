import type { WorkflowDefinition } from '../definition/workflow-definition';
import { walkGraph } from '../engine/graph-walk';
import type { StepCursor } from '../engine/workflow-instance';
import type { JsonObject } from '../state/workflow-state.interface';

/**
 * The forward steps a running instance is expected to take from its current one, the current included:
 * branches and loop checks decided on the state as it is now (a guess: later steps may change it). Stops at
 * the end of the run, a failure, a fork (its node id, which has no duration), or after as many steps as the definition has twice over (a loop that the
 * current state would repeat).
 */
export function predictedPath(definition: WorkflowDefinition, state: JsonObject, cursor: StepCursor): readonly string[] {
  const path = [cursor.step];
  const start = definition.graph.nodes.get(cursor.node ?? cursor.step);
  let next = start?.kind === 'step' ? start.next : null;
  let iterations = cursor.iterations ?? [];
  while (path.length < definition.steps.length * 2) {
    const stop = walkGraph(definition.graph, state, next, iterations);
    // A fork's paths run side by side: no sum of medians predicts them, so the fork node (never measured) ends the path.
    if (stop.kind === 'fork') path.push(stop.node.id);
    if (stop.kind !== 'step') break;
    path.push(stop.node.step.name);
    next = stop.node.next;
    iterations = stop.iterations;
  }
  return path;
}
