import { closestName } from '../config/closest-name';

/** `steps` (or `STRATEGOS_STEPS`) names a step that no registered workflow has. */
export class StepSelectionError extends Error {
  override readonly name = 'StepSelectionError';
  readonly code = 'UNKNOWN_STEP_SELECTED';

  /**
   * @param steps the selected names that match no step.
   * @param known the application's step names (plain and `workflow.Step`), for suggestions.
   */
  constructor(
    readonly steps: readonly string[],
    known: readonly string[] = [],
  ) {
    const hints = steps.map((step) => closestName(step, known)).filter((hint): hint is string => hint !== undefined);
    const plain = known.filter((name) => !name.includes('.'));
    super(
      `steps option (STRATEGOS_STEPS) names ${steps.join(', ')}, which no registered workflow has` +
        (hints.length > 0 ? `; did you mean ${[...new Set(hints)].join(', ')}?` : '') +
        (plain.length > 0 ? ` The application's steps are ${plain.join(', ')} (or workflow.Step)` : '; no workflow is registered'),
    );
  }
}
