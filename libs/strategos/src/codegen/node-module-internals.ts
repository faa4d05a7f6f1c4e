/** A module being loaded, as the CommonJS loader hands it to an extension handler. */
export interface CompilableModule {
  _compile(code: string, filename: string): void;
}

/** How the CommonJS loader reads a file with a given extension. */
export type ExtensionHandler = (module: CompilableModule, filename: string) => void;

/**
 * The parts of Node's CommonJS loader a require hook uses. They are undocumented but stable (ts-node,
 * @swc/register and Jest rely on them); typed here because @types/node does not declare them.
 */
export interface NodeModuleInternals {
  readonly _extensions: Record<string, ExtensionHandler | undefined>;
  readonly _cache: Record<string, unknown>;
  /** What `require` does: resolve, return the cached module or load it. */
  _load(request: string, parent: undefined, isMain: boolean): unknown;
  createRequire(path: string): NodeJS.Require;
}

/**
 * Node's CommonJS loader. Under Jest, `require('module')` is Jest's copy, whose `createRequire` loads through
 * Jest's registry; its static members `_load`, `_extensions` and `_cache` are still Node's objects, which is
 * why modules are loaded with `_load` and the hook only changes `_extensions`: the way `node` loads them, in every host.
 */
export function nativeModuleLoader(): NodeModuleInternals {
  return process.getBuiltinModule('module') as unknown as NodeModuleInternals;
}
