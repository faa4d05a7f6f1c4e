import type { JsonValue } from '../state/workflow-state.interface';

/**
 * Combines two values of one state key at a join: `accumulated` (the value at the fork, then combined with the
 * earlier paths' values) and the value a path wrote. Must be a pure function of its arguments.
 */
export type Reducer<T = unknown> = (accumulated: T, value: T) => T;

/** Reducers per state key, for `Workflow.create(name, { reducers })`: how parallel paths' patches combine. */
export type StateReducers<S> = { readonly [K in keyof S]?: Reducer<NonNullable<S[K]>> };

/** The `reducers` option of `Workflow.create` (fork/join). */
export interface ReducerOptions<S> {
  /** How the paths of a fork combine their patches of a key at the join; a key without one: replace, in path order. */
  readonly reducers?: StateReducers<S>;
}

/** The built-in reducers. */
export const Reducers = {
  /** Arrays: the accumulated items, then the path's items (a path's step returns the items it adds). */
  append<T extends readonly unknown[]>(accumulated: T, value: T): T {
    return [...asArray(accumulated, 'append'), ...asArray(value, 'append')] as unknown as T;
  },
  /** Objects: a shallow merge, the path's keys over the accumulated ones. */
  merge<T extends object>(accumulated: T, value: T): T {
    return { ...asObject(accumulated), ...asObject(value) } as T;
  },
} as const;

function asArray(value: unknown, reducer: string): readonly unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new TypeError(`Reducers.${reducer} expects arrays, got ${typeof value}`);
  return value;
}

function asObject(value: unknown): object {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value))
    throw new TypeError(`Reducers.merge expects objects, got ${Array.isArray(value) ? 'an array' : typeof value}`);
  return value;
}

/** The reducers of a definition as the engine uses them (on JSON values). */
export type JsonReducers = ReadonlyMap<string, (accumulated: JsonValue | undefined, value: JsonValue) => JsonValue>;
