/** `steps` (or `STRATEGOS_STEPS`) names a step that no registered workflow has. */
export class StepSelectionError extends Error {
  override readonly name = 'StepSelectionError';
  readonly code = 'UNKNOWN_STEP_SELECTED';

  constructor(readonly steps: readonly string[]) {
    super(
      `steps option (STRATEGOS_STEPS) names ${steps.join(', ')}, which no registered workflow has; use step names such as ProcessPayment or process-order.ProcessPayment`,
    );
  }
}
