import type { JsonObject, JsonValue } from '../state/workflow-state.interface';
import type { PathPosition } from './fork-position';
import { mergePaths } from './merge-paths';
import type { RecordedError } from './workflow-instance';

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
