import type { JsonObject, JsonValue } from '../state/workflow-state.interface';
import type { ForkPosition, PathPosition } from './fork-position';
import { mergePaths } from './merge-paths';
import type { RecordedError, WorkflowInstance } from './workflow-instance';

// The flat list of a fork's paths (nested forks' paths included, each with its `parent`): lookups and joins.

/** The index of the fork path waiting for the command `commandId`; -1 when none (or not in a fork). */
export function pathIndexOf(instance: Pick<WorkflowInstance, 'fork'>, commandId: string): number {
  return instance.fork?.paths.findIndex((path) => path.cursor?.commandId === commandId) ?? -1;
}

/** The instance with the start of the command `commandId`'s step recorded on its position (main or path). */
export function markedStarted(instance: WorkflowInstance, commandId: string, startedAt: string): WorkflowInstance {
  const fork = instance.fork;
  if (fork) {
    const paths = fork.paths.map((path) =>
      path.cursor?.commandId === commandId ? { ...path, cursor: { ...path.cursor, startedAt } } : path,
    );
    return { ...instance, fork: { ...fork, paths } };
  }
  return instance.cursor ? { ...instance, cursor: { ...instance.cursor, startedAt } } : instance;
}

/** The state the command `commandId`'s step sees: inside a fork, the state at the fork plus its path's patch. */
export function stateFor(instance: WorkflowInstance, commandId: string): JsonObject {
  const index = pathIndexOf(instance, commandId);
  return index < 0 ? instance.state : pathState(instance.state, instance.fork!.paths, index);
}

/** The phase of a run inside a fork: `Fork(<step of each running path>)`, e.g. `Fork(CheckFraud, ReserveFunds)`. */
export function forkPhase(fork: ForkPosition): string {
  return `Fork(${fork.paths.flatMap((path) => (path.cursor ? [path.cursor.step] : [])).join(', ')})`;
}

/**
 * The state path `index` sees: the state at the outermost fork, then the patches of its enclosing paths (outermost
 * first: a nested fork's paths start from their parent path's state), then its own patch.
 */
export function pathState(base: JsonObject, paths: readonly PathPosition[], index: number): JsonObject {
  const chain: PathPosition[] = [];
  for (let path: PathPosition | undefined = paths[index]; path; path = parentOf(paths, path)) chain.unshift(path);
  return chain.reduce((state, path) => (Object.keys(path.patch).length === 0 ? state : { ...state, ...path.patch }), base);
}

/** The index of a path at a nested fork whose paths all reached its join; -1 when none. */
export function joinablePath(paths: readonly PathPosition[]): number {
  return paths.findIndex((path) => {
    if (!path.fork) return false;
    const children = paths.filter((child) => child.parent === path.path);
    return children.length > 0 && children.every((child) => child.done && !child.fork);
  });
}

/**
 * Joins the nested fork of path `index`: its paths' patches are merged (with the reducers) into the parent's patch;
 * the nested paths leave the list. Returns the new list, or the reducer's error.
 */
export function joinNested(
  paths: readonly PathPosition[],
  index: number,
  reducers: ReadonlyMap<string, (accumulated: JsonValue | undefined, value: JsonValue) => JsonValue> | undefined,
): { readonly paths: readonly PathPosition[] } | { readonly error: Omit<RecordedError, 'step'> } {
  const parent = paths[index];
  const children = paths.filter((path) => path.parent === parent.path);
  // What the parent path adds, then what each nested path adds (a reducer combines them; the outer join adds the
  // result to the state at the outer fork in turn).
  const merged = mergePaths(parent.patch, children, reducers);
  if ('error' in merged) return merged;
  return { paths: withoutNested(paths, index, merged.state) };
}

/** The list without path `index`'s nested paths, that path back from its nested fork (with `patch` when given). */
export function withoutNested(paths: readonly PathPosition[], index: number, patch?: JsonObject): readonly PathPosition[] {
  const parent = paths[index];
  const back: PathPosition = {
    path: parent.path,
    cursor: null,
    patch: patch ?? parent.patch,
    done: false,
    ...(parent.parent !== undefined ? { parent: parent.parent } : {}),
  };
  return paths.filter((path) => path.parent !== parent.path).map((path) => (path === parent ? back : path));
}

function parentOf(paths: readonly PathPosition[], path: PathPosition): PathPosition | undefined {
  return path.parent === undefined ? undefined : paths.find((candidate) => candidate.path === path.parent);
}
