/** The validation decorators a contracts file uses, imported from `class-validator` (sorted: the import line is stable). */
export const VALIDATOR_DECORATORS = [
  'Equals',
  'IsISO8601',
  'IsInt',
  'IsNotEmpty',
  'IsObject',
  'IsOptional',
  'IsString',
  'Matches',
  'Max',
  'MaxLength',
  'Min',
] as const;

/** The library's types a contracts file uses; type-only, so that importing the contracts loads nothing of the library. */
export const LIBRARY_TYPES = [
  'RecordedError',
  'StatePatch',
  'StepCommand',
  'WorkflowDefinition',
  'WorkflowEvent',
  'WorkflowEventKind',
] as const;

/** The module specifier of the library in generated code. */
export const LIBRARY_MODULE = '@strategos/nestjs';
