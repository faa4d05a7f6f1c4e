import type { JsonObject, JsonValue } from '../state/workflow-state.interface';
import type { PathPosition } from './fork-position';
import type { RecordedError } from './workflow-instance';

/** Error code of a reducer that threw (or returned nothing) while merging the paths' patches at a join. */
export const REDUCER_FAILED = 'REDUCER_FAILED';

/** Merges the paths' patches into the state at the fork, key by key, in path order (a reducer combines, else replace). */
export function mergePaths(
  base: JsonObject,
  paths: readonly PathPosition[],
  reducers: ReadonlyMap<string, (accumulated: JsonValue | undefined, value: JsonValue) => JsonValue> | undefined,
): { readonly state: JsonObject } | { readonly error: Omit<RecordedError, 'step'> } {
  const state: JsonObject = { ...base };
  for (const path of paths) {
    for (const [key, value] of Object.entries(path.patch)) {
      const reducer = reducers?.get(key);
      if (!reducer) {
        state[key] = value;
        continue;
      }
      try {
        const reduced = reducer(state[key], value);
        if (reduced === undefined) throw new Error('it returned undefined');
        state[key] = reduced;
      } catch (error) {
        return {
          error: {
            code: REDUCER_FAILED,
            message: `the reducer of state key ${key} failed on the patch of path ${path.path}: ${error instanceof Error ? error.message : String(error)}`,
            details: { key, path: path.path },
          },
        };
      }
    }
  }
  return { state };
}
