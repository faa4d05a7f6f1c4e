/** A file the generator writes: where, what, and for which workflow. */
export interface GeneratedFile {
  /** Absolute path. */
  readonly path: string;
  readonly content: string;
  readonly workflow: string;
  /** `contracts` for `<workflow>.contracts.ts`, `diagram` for `<workflow>.md`. */
  readonly kind: 'contracts' | 'diagram';
}
