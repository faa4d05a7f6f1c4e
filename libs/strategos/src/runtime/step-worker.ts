import { Logger } from '@nestjs/common';
import type { StrategosSettings } from '../config/strategos-settings';
import type { WorkflowRegistry } from '../definition/workflow-registry';
import { stepQueueName } from '../messages/topology';
import type { Transport } from '../transport/transport.interface';
import { isLevelEnabled } from '../logging/log-level';
import { StepSelectionError } from './step-selection.error';
import type { StepRunner } from './step-runner';

/** Consumes the queues of the steps this process executes (all by default, or `settings.steps`). */
export class StepWorker {
  private readonly logger = new Logger(StepWorker.name);

  constructor(
    private readonly registry: WorkflowRegistry,
    private readonly transport: Transport,
    private readonly runner: StepRunner,
    private readonly settings: StrategosSettings,
  ) {}

  /** The queues this process consumes, after checking that every selected step exists. */
  selectedQueues(): string[] {
    const selection = this.settings.steps;
    const queues: string[] = [];
    const matched = new Set<string>();
    const known = new Set<string>();
    for (const definition of this.registry.all()) {
      for (const step of definition.stepsByName.keys()) {
        const qualified = `${definition.name}.${step}`;
        known.add(step).add(qualified);
        const selected = selection === 'all' || selection.includes(step) || selection.includes(qualified);
        if (!selected) continue;
        matched.add(step).add(qualified);
        queues.push(stepQueueName(this.settings.namespace, definition.name, step));
      }
    }
    const unknown = selection === 'all' ? [] : selection.filter((name) => !matched.has(name));
    if (unknown.length > 0) throw new StepSelectionError(unknown, [...known]);
    return queues;
  }

  async start(): Promise<void> {
    for (const queue of this.selectedQueues()) {
      await this.transport.consume(queue, (message) => this.runner.handle(message), { prefetch: this.settings.prefetch });
      if (isLevelEnabled('log', this.settings.logLevel))
        this.logger.log({ message: 'Consuming step queue', queue, prefetch: this.settings.prefetch });
    }
  }

  /** Stops taking new commands; in-flight ones finish (see `StepRunner.whenIdle`). */
  stop(): Promise<void> {
    return this.transport.stopConsuming();
  }
}
