import { Workflow } from '../../src/definition/workflow';
import type { WorkflowDefinition } from '../../src/definition/workflow-definition';
import type { WorkflowState } from '../../src/state/workflow-state.interface';
import { Step } from '../../src/step/step.decorator';
import { StepResult } from '../../src/step/step-result';
import type { StepClass, WorkflowStep } from '../../src/step/workflow-step.interface';

/** mulberry32: a small seeded PRNG, so that a failing seed can be replayed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A step class named `name` that succeeds, with `maxAttempts`. */
export function stepNamed(name: string, maxAttempts: number): StepClass {
  @Step({ name, retry: { maxAttempts } })
  class RandomStep implements WorkflowStep<WorkflowState> {
    execute(): StepResult<WorkflowState> {
      return StepResult.ok();
    }
  }
  return RandomStep;
}

/** 1 to 5 forward steps, each but the last compensable at random, maybe an onFailure step, 1 to 3 attempts each. */
export function randomDefinition(random: () => number, name: string): WorkflowDefinition {
  const attempts = () => 1 + Math.floor(random() * 3);
  const count = 1 + Math.floor(random() * 5);
  let builder = Workflow.create(name);
  if (random() < 0.5) builder = builder.onFailure(stepNamed('OnFailure', attempts()));
  for (let i = 0; i < count; i++) {
    const compensate = i < count - 1 && random() < 0.6 ? stepNamed(`Undo${i}`, attempts()) : undefined;
    const step = stepNamed(`Step${i}`, attempts());
    builder = i === 0 ? builder.startWith(step, { compensate }) : builder.then(step, { compensate });
  }
  return builder.build();
}
