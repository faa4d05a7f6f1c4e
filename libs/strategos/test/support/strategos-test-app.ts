import { Module, type INestApplicationContext, type Provider } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import * as amqp from 'amqplib';
import { Client } from 'pg';
import {
  StrategosModule,
  WorkflowControl,
  WorkflowQuery,
  WorkflowStarter,
  controlQueueName,
  startQueueName,
  stepQueueName,
  topologyNames,
  type StrategosModuleOptions,
  type WorkflowContracts,
  type WorkflowDefinition,
} from '@strategos/nestjs';
import { orderStatusReadModelQueue, processOrder } from '@app/orders';
import { forkedSaga, scriptedSaga, slowRetrySaga } from '../fixtures/scripted-workflow';
import { postgresUrl, rabbitmqUrl, uniqueName } from './services';

/** Where one test's workflows live: its own broker namespace and database schema. */
export interface TestEnvironment {
  readonly namespace: string;
  readonly schema: string;
  readonly rabbitmqUrl: string;
  readonly databaseUrl: string;
  /** The environment variables a child process needs to join this test's namespace and schema. */
  readonly env: Record<string, string>;
  /** Deletes the namespace's queues (those of `workflows` and of the fixture workflows) and exchanges, and drops the schema. */
  cleanup(workflows?: readonly WorkflowDefinition[]): Promise<void>;
}

export async function createTestEnvironment(): Promise<TestEnvironment> {
  const namespace = uniqueName('t').replace(/_/g, '-');
  const schema = uniqueName('s');
  const rabbit = await rabbitmqUrl();
  const database = await postgresUrl();
  return {
    namespace,
    schema,
    rabbitmqUrl: rabbit,
    databaseUrl: database,
    env: { RABBITMQ_URL: rabbit, DATABASE_URL: database, STRATEGOS_NAMESPACE: namespace, STRATEGOS_SCHEMA: schema },
    async cleanup(workflows = []) {
      const connection = await amqp.connect(rabbit);
      try {
        const channel = await connection.createChannel();
        const names = topologyNames(namespace);
        for (const definition of new Set([...workflows, processOrder, scriptedSaga, slowRetrySaga, forkedSaga])) {
          for (const step of definition.stepsByName.keys()) await channel.deleteQueue(stepQueueName(namespace, definition.name, step));
          await channel.deleteQueue(startQueueName(namespace, definition.name));
          await channel.deleteQueue(controlQueueName(namespace, definition.name));
        }
        await channel.deleteQueue(names.deadLetterQueue);
        await channel.deleteQueue(orderStatusReadModelQueue(namespace));
        await channel.deleteExchange(names.eventsExchange);
        await channel.deleteExchange(names.deadLetterExchange);
      } finally {
        await connection.close();
      }
      const client = new Client({ connectionString: database });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

/** A Strategos application in this process on the real broker and database. */
export interface TestApp {
  readonly app: INestApplicationContext;
  readonly starter: WorkflowStarter;
  readonly query: WorkflowQuery;
  readonly control: WorkflowControl;
  close(): Promise<void>;
}

export async function startTestApp(
  environment: TestEnvironment,
  workflows: readonly WorkflowDefinition[],
  providers: readonly Provider[],
  options: Partial<StrategosModuleOptions> = {},
  contracts: readonly WorkflowContracts[] = [],
): Promise<TestApp> {
  @Module({
    imports: [
      StrategosModule.forRoot({
        rabbitmq: { url: environment.rabbitmqUrl },
        postgres: { url: environment.databaseUrl, schema: environment.schema },
        namespace: environment.namespace,
        shutdownGraceMs: 2_000,
        ...options,
      }),
      StrategosModule.forFeature({ workflows, contracts }),
    ],
    providers: [...providers],
  })
  class TestAppModule {}

  const app = await NestFactory.createApplicationContext(TestAppModule, { logger: ['error', 'warn'] });
  return {
    app,
    starter: app.get(WorkflowStarter),
    query: app.get(WorkflowQuery),
    control: app.get(WorkflowControl),
    close: () => app.close(),
  };
}
