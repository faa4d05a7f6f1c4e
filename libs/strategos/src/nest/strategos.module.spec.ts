import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Workflow } from '../definition/workflow';
import { InMemoryWorkflowStore } from '../persistence/in-memory/in-memory-workflow-store';
import type { WorkflowState } from '../state/workflow-state.interface';
import { Step } from '../step/step.decorator';
import { StepResult } from '../step/step-result';
import type { WorkflowStep } from '../step/workflow-step.interface';
import { InMemoryTransport } from '../transport/in-memory/in-memory-transport';
import type { StrategosModuleOptions } from './strategos-module-options.interface';
import { StrategosModule } from './strategos.module';
import { StrategosRuntime } from './strategos-runtime';
import { WorkflowStarter } from '../client/workflow-starter';
import { WorkflowQuery } from '../query/workflow-query';

@Step({ name: 'First' })
class First implements WorkflowStep<WorkflowState> {
  execute(): StepResult<WorkflowState> {
    return StepResult.ok();
  }
}

@Step({ name: 'Last' })
class Last implements WorkflowStep<WorkflowState> {
  execute(): StepResult<WorkflowState> {
    return StepResult.ok();
  }
}

const flow = Workflow.create<WorkflowState>('flow').startWith(First).finally(Last);

async function boot(options: Partial<StrategosModuleOptions>, workflows = [flow], providers: unknown[] = [First, Last]): Promise<unknown> {
  @Module({
    imports: [
      StrategosModule.forRoot({ transport: new InMemoryTransport(), store: new InMemoryWorkflowStore(), ...options }),
      StrategosModule.forFeature({ workflows }),
    ],
    providers: providers as never[],
  })
  class AppModule {}
  try {
    const app = await NestFactory.createApplicationContext(AppModule, { logger: false, abortOnError: false });
    await app.close();
    return undefined;
  } catch (error) {
    return error;
  }
}

describe('StrategosModule.forRootAsync', () => {
  it('builds the options from injected providers, as Nest users expect', async () => {
    const SETTINGS = 'SETTINGS';
    @Module({ providers: [{ provide: SETTINGS, useValue: { namespace: 'async-ns' } }], exports: [SETTINGS] })
    class SettingsModule {}
    @Module({
      imports: [
        StrategosModule.forRootAsync({
          imports: [SettingsModule],
          inject: [SETTINGS],
          useFactory: (settings: { namespace: string }) => ({
            namespace: settings.namespace,
            transport: new InMemoryTransport(),
            store: new InMemoryWorkflowStore(),
          }),
        }),
        StrategosModule.forFeature({ workflows: [flow] }),
      ],
      providers: [First, Last],
    })
    class AsyncModule {}
    const app = await NestFactory.createApplicationContext(AsyncModule, { logger: false });
    try {
      const { workflowId } = await app.get(WorkflowStarter).start(flow, { workflowId: 'w-async' });
      await expect(app.get(WorkflowQuery).waitFor(workflowId, { timeoutMs: 10_000 })).resolves.toMatchObject({ status: 'completed' });
      expect(app.get(StrategosRuntime).settings.namespace).toBe('async-ns');
    } finally {
      await app.close();
    }
  });
});

describe('StrategosModule at start-up', () => {
  it('fails with STRAT011 naming the class and the workflow when a step it runs is not a provider', async () => {
    const error = await boot({}, [flow], [First]);
    expect(error).toMatchObject({ code: 'STRAT011', workflow: 'flow', step: 'Last' });
    expect((error as Error).message).toMatch(/Last .*not a provider; add it to the providers/);
  });

  it('does not need the step classes in a process that runs none of the steps', async () => {
    await expect(boot({ steps: [] }, [flow], [])).resolves.toBeUndefined();
  });

  it('fails with STRAT012 when two different definitions share a name', async () => {
    const other = Workflow.create<WorkflowState>('flow').startWith(Last).finally(First);
    expect(await boot({}, [flow, other])).toMatchObject({ code: 'STRAT012', workflow: 'flow' });
  });

  it('fails naming the option when an option is invalid', async () => {
    expect(await boot({ defaultRetry: { maxAttempts: 0 } })).toMatchObject({ code: 'INVALID_OPTION', option: 'defaultRetry.maxAttempts' });
    expect(await boot({ namespace: 'Not Valid' })).toMatchObject({ code: 'INVALID_OPTION', option: 'namespace' });
    expect(await boot({ logLevel: 'loud' as 'log' })).toMatchObject({ code: 'INVALID_OPTION', option: 'logLevel' });
    expect(await boot({ stalledAfterMs: 0 })).toMatchObject({ code: 'INVALID_OPTION', option: 'stalledAfterMs' });
    expect(await boot({ limits: { maxMessageBytes: -1 } })).toMatchObject({ code: 'INVALID_OPTION', option: 'limits.maxMessageBytes' });
    expect(await boot({ limits: { maxHeaderBytes: 200_000 } })).toMatchObject({ code: 'INVALID_OPTION', option: 'limits.maxHeaderBytes' });
    expect(await boot({ limits: { maxJsonDepth: 0 } })).toMatchObject({ code: 'INVALID_OPTION', option: 'limits.maxJsonDepth' });
    expect(await boot({ events: { pollIntervalMs: 0 } })).toMatchObject({ code: 'INVALID_OPTION', option: 'events.pollIntervalMs' });
    expect(await boot({ events: { kinds: ['Finished' as 'Completed'] } })).toMatchObject({
      code: 'INVALID_OPTION',
      option: 'events.kinds',
    });
  });

  it('fails naming the steps when the selection names a step no workflow has', async () => {
    const error = await boot({ steps: ['First', 'Missing'] });
    expect(error).toMatchObject({ code: 'UNKNOWN_STEP_SELECTED', steps: ['Missing'] });
  });

  it('takes the selection from STRATEGOS_STEPS over the option', async () => {
    process.env.STRATEGOS_STEPS = 'flow.First,Nope';
    try {
      expect(await boot({ steps: 'all' })).toMatchObject({ code: 'UNKNOWN_STEP_SELECTED', steps: ['Nope'] });
    } finally {
      delete process.env.STRATEGOS_STEPS;
    }
  });
});
