/** Codes of {@link CodegenError}. */
export type CodegenErrorCode =
  /** The module path given to the generator does not exist. */
  | 'MODULE_NOT_FOUND'
  /** Requiring the module threw (a syntax error, a failing import, a definition error). */
  | 'MODULE_LOAD_FAILED'
  /** The module exports no `WorkflowDefinition`. */
  | 'NO_WORKFLOW_DEFINITION'
  /** A `.ts` module was given but the `typescript` package cannot be resolved from it. */
  | 'TYPESCRIPT_NOT_FOUND'
  /** Two generated identifiers of one contracts file would have the same name. */
  | 'NAME_COLLISION'
  /** `strategos diagram <module> <workflow>` names a workflow the module does not export. */
  | 'WORKFLOW_NOT_FOUND'
  /** The project's Prettier rejected a generated file (a generator bug: please report it with the definition). */
  | 'FORMAT_FAILED';

/**
 * The contracts generator cannot do what it was asked. The message names the module, the workflow
 * where known, and the fix; callers branch on `code`.
 */
export class CodegenError extends Error {
  override readonly name = 'CodegenError';

  constructor(
    readonly code: CodegenErrorCode,
    message: string,
    readonly modulePath?: string,
    options?: { readonly cause?: unknown },
  ) {
    super(message, options);
  }
}
