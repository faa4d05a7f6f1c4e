import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { StrategosModule, WorkflowStarter } from '@strategos/nestjs';
import { starterApplicationName, type BenchNames } from '../bench-names';
import { StderrLogger } from '../stderr-logger';
import { benchOrder } from './bench-order.workflow';
import { tunedOptions, type FrameworkTuning } from './framework-tuning';

/** The API side of the framework run: starts workflows, executes no step. */
export interface StarterApp {
  readonly starter: WorkflowStarter;
  close(): Promise<void>;
}

/** An API-only Nest application context in this process (`steps: []`), on the run's namespace and schema. */
export async function createStarterApp(
  names: BenchNames,
  urls: { rabbitmqUrl: string; databaseUrl: string },
  tuning: FrameworkTuning,
): Promise<StarterApp> {
  const options = tunedOptions(
    {
      rabbitmq: { url: urls.rabbitmqUrl },
      postgres: { url: urls.databaseUrl, schema: names.schema, applicationName: starterApplicationName(names) },
      namespace: names.namespace,
      steps: [],
    },
    tuning,
  );

  @Module({ imports: [StrategosModule.forRoot(options), StrategosModule.forFeature({ workflows: [benchOrder] })] })
  class BenchStarterModule {}

  const app: INestApplicationContext = await NestFactory.createApplicationContext(BenchStarterModule, {
    logger: new StderrLogger({ logLevels: ['error', 'warn'] }),
  });
  return { starter: app.get(WorkflowStarter), close: () => app.close() };
}
