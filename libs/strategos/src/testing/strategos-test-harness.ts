import {
  Module,
  type DynamicModule,
  type INestApplicationContext,
  type LoggerService,
  type LogLevel,
  type Provider,
  type Type,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { WorkflowControl } from '../client/workflow-control';
import { WorkflowStarter } from '../client/workflow-starter';
import type { WorkflowDefinition } from '../definition/workflow-definition';
import type { StrategosModuleOptions } from '../nest/strategos-module-options.interface';
import { StrategosModule } from '../nest/strategos.module';
import { InMemoryWorkflowStore } from '../persistence/in-memory/in-memory-workflow-store';
import { DeadLetters } from '../dead-letters/dead-letters';
import { WorkflowQuery } from '../query/workflow-query';
import { InMemoryTransport } from '../transport/in-memory/in-memory-transport';
import { StrategosRuntime } from '../nest/strategos-runtime';
import { TestClock } from './test-clock';

/** Options of {@link StrategosTestHarness.create}. */
export interface StrategosTestHarnessOptions {
  readonly workflows: readonly WorkflowDefinition[];
  /** Fakes of the services steps depend on. Step classes are added for you when missing. */
  readonly providers?: readonly Provider[];
  readonly imports?: DynamicModule['imports'];
  /** Runtime options (retry defaults, timeouts…); the transport and store are always in memory. */
  readonly options?: Omit<StrategosModuleOptions, 'transport' | 'store' | 'rabbitmq' | 'postgres' | 'clock'>;
  /** Nest log levels to print. @default ['error', 'warn'] */
  readonly logger?: false | LogLevel[] | LoggerService;
}

@Module({})
class StrategosTestHarnessModule {}

/**
 * The Strategos engine in one process with the in-memory transport and store: no broker, no database.
 * The way to unit-test a workflow.
 *
 * @example
 * const harness = await StrategosTestHarness.create({ workflows: [processOrder], providers: [FakePayments] });
 * const { workflowId } = await harness.starter.start(processOrder, initial);
 * const view = await harness.query.waitFor(workflowId);
 * await harness.close();
 */
export class StrategosTestHarness {
  private constructor(
    readonly app: INestApplicationContext,
    readonly transport: InMemoryTransport,
    readonly store: InMemoryWorkflowStore,
    /**
     * The harness's controllable clock: `await harness.clock.advance(48 * 3_600_000)` fires the timers (sleeps,
     * signal timeouts, deadlines, retry back-offs) that fall due, and lets the runs they resume settle.
     */
    readonly clock: TestClock,
  ) {}

  static async create(options: StrategosTestHarnessOptions): Promise<StrategosTestHarness> {
    const transport = new InMemoryTransport();
    const started: { runtime?: StrategosRuntime } = {};
    const clock = new TestClock(async () => {
      // Publish what fell due, then let the handlers (and what they publish) settle, twice: a timer's transition
      // may set another timer that is already due.
      for (let round = 0; round < 2; round++) {
        await started.runtime?.sweepOutbox();
        await transport.waitForIdle(30_000);
      }
    });
    const store = new InMemoryWorkflowStore(clock);
    const providers = [...(options.providers ?? [])];
    const provided = new Set(providers.map((p) => (typeof p === 'function' ? p : 'provide' in p ? p.provide : undefined)));
    for (const definition of options.workflows) {
      for (const step of definition.stepsByName.values()) {
        if (!provided.has(step.stepClass)) {
          providers.push(step.stepClass as unknown as Type<unknown>);
          provided.add(step.stepClass);
        }
      }
    }
    const module: DynamicModule = {
      module: StrategosTestHarnessModule,
      imports: [
        StrategosModule.forRoot({ ...options.options, transport, store, clock }),
        StrategosModule.forFeature({ workflows: options.workflows }),
        ...(options.imports ?? []),
      ],
      providers,
    };
    const app = await NestFactory.createApplicationContext(module, { logger: options.logger ?? ['error', 'warn'], abortOnError: false });
    await app.init();
    started.runtime = app.get(StrategosRuntime, { strict: false });
    return new StrategosTestHarness(app, transport, store, clock);
  }

  get starter(): WorkflowStarter {
    return this.app.get(WorkflowStarter);
  }

  get query(): WorkflowQuery {
    return this.app.get(WorkflowQuery);
  }

  get control(): WorkflowControl {
    return this.app.get(WorkflowControl);
  }

  get deadLetters(): DeadLetters {
    return this.app.get(DeadLetters);
  }

  /** A provider of the harness (a fake, to inspect what steps did). */
  get<T>(token: Type<T> | string | symbol): T {
    return this.app.get<T>(token, { strict: false });
  }

  async close(): Promise<void> {
    await this.app.close();
  }
}
