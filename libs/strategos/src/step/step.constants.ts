/** Metadata key under which `@Step()` records its options on a class. */
export const STEP_METADATA = 'strategos:step';
