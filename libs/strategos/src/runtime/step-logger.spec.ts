import type { LoggerService } from '@nestjs/common';
import { Step } from '../step/step.decorator';
import { StepResult } from '../step/step-result';
import type { StepContext } from '../step/step-context.interface';
import type { WorkflowStep } from '../step/workflow-step.interface';
import type { WorkflowState } from '../state/workflow-state.interface';
import { Workflow } from '../definition/workflow';
import { StrategosTestHarness } from '../testing/strategos-test-harness';

@Step({ name: 'Chatty', retry: { maxAttempts: 2, initialDelayMs: 10 } })
class Chatty implements WorkflowStep<WorkflowState> {
  async execute(_state: Readonly<WorkflowState>, context: StepContext): Promise<StepResult<WorkflowState>> {
    context.logger.log('Charging card');
    context.logger.warn({ message: 'Gateway slow', latencyMs: 900 });
    if (context.attempt === 1) throw new Error('gateway down');
    return StepResult.ok();
  }
}

class CapturingLogger implements LoggerService {
  readonly lines: { level: string; message: unknown; context: unknown }[] = [];
  log(message: unknown, context?: unknown) {
    this.lines.push({ level: 'log', message, context });
  }
  warn(message: unknown, context?: unknown) {
    this.lines.push({ level: 'warn', message, context });
  }
  error(message: unknown, context?: unknown) {
    this.lines.push({ level: 'error', message, context });
  }
}

describe('StepLogger', () => {
  it('puts the workflow id, workflow, step and attempt on every line a step logs', async () => {
    const logger = new CapturingLogger();
    const chatty = Workflow.create<WorkflowState>('chatty').startWith(Chatty).build();
    const harness = await StrategosTestHarness.create({ workflows: [chatty], logger });
    try {
      await harness.starter.start(chatty, { workflowId: 'w-chatty' });
      await harness.query.waitFor('w-chatty', { timeoutMs: 10_000 });
    } finally {
      await harness.close();
    }
    const stepLines = logger.lines.filter((line) => line.context === 'Chatty');
    expect(stepLines.map((line) => line.message)).toEqual([
      { message: 'Charging card', workflowId: 'w-chatty', workflow: 'chatty', step: 'Chatty', attempt: 1 },
      { message: 'Gateway slow', latencyMs: 900, workflowId: 'w-chatty', workflow: 'chatty', step: 'Chatty', attempt: 1 },
      { message: 'Charging card', workflowId: 'w-chatty', workflow: 'chatty', step: 'Chatty', attempt: 2 },
      { message: 'Gateway slow', latencyMs: 900, workflowId: 'w-chatty', workflow: 'chatty', step: 'Chatty', attempt: 2 },
    ]);
  });

  it("drops the lines below forRoot's logLevel", async () => {
    const logger = new CapturingLogger();
    const chatty = Workflow.create<WorkflowState>('chatty-quiet').startWith(Chatty).build();
    const harness = await StrategosTestHarness.create({ workflows: [chatty], logger, options: { logLevel: 'warn' } });
    try {
      await harness.starter.start(chatty, { workflowId: 'w-quiet' });
      await harness.query.waitFor('w-quiet', { timeoutMs: 10_000 });
    } finally {
      await harness.close();
    }
    const stepLines = logger.lines.filter((line) => line.context === 'Chatty');
    expect(stepLines.map((line) => line.level)).toEqual(['warn', 'warn']);
  });
});
