import { progress } from './progress';

/**
 * Runs a clean-up step and reports (rather than throws) its failure, so that it neither hides the run's
 * own error nor discards a finished measurement.
 */
export async function bestEffort(what: string, step: () => Promise<unknown>): Promise<void> {
  try {
    await step();
  } catch (error) {
    progress(`${what} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
