import { existsSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import type { WorkflowDefinition } from '../definition/workflow-definition';
import { CodegenError } from './codegen.error';
import { isWorkflowDefinition } from './is-workflow-definition';
import { nativeModuleLoader, type NodeModuleInternals } from './node-module-internals';
import { TYPESCRIPT_EXTENSIONS, TypeScriptRequireHook } from './typescript-require-hook';

/** A workflow definition and the name its module exports it under. */
export interface ExportedDefinition {
  readonly exportName: string;
  readonly definition: WorkflowDefinition;
}

/** The workflow definitions one module exports, in the order it exports them. */
export interface WorkflowModule {
  /** The module's absolute path. */
  readonly path: string;
  readonly definitions: readonly ExportedDefinition[];
}

/**
 * Loads a module and returns every `WorkflowDefinition` it exports. A `.ts` module is loaded from source:
 * transpiled with the `typescript` package of its project and the compiler options of its nearest
 * tsconfig.json (path aliases included), with no type check and no build; a `.js` module is required as is.
 * The application's own modules are evicted from the require cache afterwards, so that loading again
 * (`generate` after an edit, in one process) sees the new code.
 * @throws CodegenError `MODULE_NOT_FOUND`, `TYPESCRIPT_NOT_FOUND`, `MODULE_LOAD_FAILED` or `NO_WORKFLOW_DEFINITION`.
 */
export function loadWorkflowModule(modulePath: string, loader: NodeModuleInternals = nativeModuleLoader()): WorkflowModule {
  const path = resolve(modulePath);
  if (!existsSync(path))
    throw new CodegenError(
      'MODULE_NOT_FOUND',
      `${modulePath} does not exist; pass the module that exports the workflow definitions, e.g. src/process-order.workflow.ts`,
      path,
    );
  const exports = withFreshCache(loader, () => {
    const load = () => requireModule(loader, path);
    return TYPESCRIPT_EXTENSIONS.includes(extname(path)) ? new TypeScriptRequireHook(loader, path).run(load) : load();
  });
  const definitions = exportedDefinitions(exports);
  if (definitions.length === 0) {
    throw new CodegenError(
      'NO_WORKFLOW_DEFINITION',
      `${modulePath} exports no workflow definition; export the result of Workflow.create(...)...finally(...) from it`,
      path,
    );
  }
  return { path, definitions };
}

function requireModule(loader: NodeModuleInternals, path: string): unknown {
  try {
    return loader._load(path, undefined, false);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CodegenError('MODULE_LOAD_FAILED', `Loading ${path} failed: ${reason}`, path, { cause: error });
  }
}

/** Runs `load`, then forgets every module outside node_modules it added to the require cache. */
function withFreshCache<T>(loader: NodeModuleInternals, load: () => T): T {
  const before = new Set(Object.keys(loader._cache));
  try {
    return load();
  } finally {
    for (const key of Object.keys(loader._cache)) {
      if (!before.has(key) && !/[\\/]node_modules[\\/]/.test(key)) delete loader._cache[key];
    }
  }
}

/**
 * The module's definitions by workflow name. The order of a CommonJS module's exports depends on how it was
 * compiled, so it is not used: a definition exported under several names takes the first name in
 * alphabetical order, and definitions are sorted by workflow name, so that the output is the same whatever compiled the module.
 */
function exportedDefinitions(exports: unknown): ExportedDefinition[] {
  if (typeof exports !== 'object' || exports === null) return [];
  const byDefinition = new Map<WorkflowDefinition, string>();
  for (const [exportName, value] of Object.entries(exports).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (isWorkflowDefinition(value) && !byDefinition.has(value)) byDefinition.set(value, exportName);
  }
  return [...byDefinition]
    .map(([definition, exportName]) => ({ exportName, definition }))
    .sort((a, b) => (a.definition.name < b.definition.name ? -1 : a.definition.name > b.definition.name ? 1 : 0));
}
