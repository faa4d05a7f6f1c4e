import type { NodeId } from '../definition/workflow-graph';
import type { JsonObject } from '../state/workflow-state.interface';
import type { LoopIteration, StepCursor } from './workflow-instance';

/** One path of a running fork. */
export interface PathPosition {
  /** The path's name: `<fork node>.<n>`, e.g. `fork#1.2` for the second path of the first fork. */
  readonly path: string;
  /** The step command the path waits for; null once the path reached the join or stopped. */
  readonly cursor: StepCursor | null;
  /** The keys the path's steps wrote (each key's last value): merged into the state at the join. */
  readonly patch: JsonObject;
  /** Whether the path reached the join. */
  readonly done: boolean;
  /** The path whose nested fork started this one (absent for the paths of the outermost fork). */
  readonly parent?: string;
  /** Set while the path is at a nested fork: that fork's paths follow in the list, with this path as `parent`. */
  readonly fork?: NestedFork;
}

/** A fork inside a fork path: the path waits at it until its own paths reach its join. */
export interface NestedFork {
  readonly node: NodeId;
  /** The loop passes of the path at the fork (its join goes on with them). */
  readonly iterations: readonly LoopIteration[];
  /** When the path entered the nested fork (ISO-8601). */
  readonly since: string;
}

/**
 * The position set of a run inside a fork: the instance's `state` stays the state at the fork (each path's state is
 * that plus its own patch) until the join merges the paths' patches. Stored in the `cursor` column as `{ fork }`.
 * The paths of nested forks are in the same flat list (each with its `parent`), so that every running step's
 * cursor is at `paths[i].cursor`; a nested fork's join merges its paths' patches into the parent path's patch.
 */
export interface ForkPosition {
  /** The fork node. */
  readonly node: NodeId;
  /** The loop passes around the fork (the join goes on with them). */
  readonly iterations: readonly LoopIteration[];
  /** When the run entered the fork (ISO-8601). */
  readonly since: string;
  readonly paths: readonly PathPosition[];
  /** A path failed or the run is being cancelled: paths finish their in-flight step and start no other. */
  readonly stopping: boolean;
}
