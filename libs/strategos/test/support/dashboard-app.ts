import { Module, type CanActivate, type INestApplication, type Provider, type Type } from '@nestjs/common';
import type { WorkflowDefinition } from '@strategos/nestjs';
import { NestFactory } from '@nestjs/core';
import { processOrder } from '@app/orders';
import {
  DeadLetters,
  StrategosDashboardModule,
  StrategosModule,
  WorkflowQuery,
  WorkflowStarter,
  type StrategosDashboardOptions,
} from '@strategos/nestjs';
import { startProcess, type RunningProcess } from './processes';
import { createTestEnvironment, type TestEnvironment } from './strategos-test-app';

/** An API-only HTTP app (no step) with the dashboard mounted, and order workers in child processes. */
export interface DashboardTestApp {
  readonly environment: TestEnvironment;
  readonly app: INestApplication;
  /** e.g. `http://127.0.0.1:41234/strategos` (no trailing slash). */
  readonly url: string;
  readonly origin: string;
  readonly starter: WorkflowStarter;
  readonly query: WorkflowQuery;
  readonly deadLetters: DeadLetters;
  readonly workers: readonly RunningProcess[];
  stop(): Promise<void>;
}

/** More settings of {@link startDashboardApp}. */
export interface DashboardAppSetup {
  /** The workflows the app knows (the workers run the order example and the scripted sagas). @default [processOrder] */
  readonly workflows?: readonly WorkflowDefinition[];
  /** Another app's namespace and schema, to share its runs (its owner cleans it up). @default a new one */
  readonly environment?: TestEnvironment;
  /** Steps the app itself runs (`workflow.Step` names), with their providers. @default none: an API-only app */
  readonly steps?: readonly string[];
  readonly providers?: readonly Provider[];
}

/**
 * Starts the app with `dashboard` options (path `/strategos` unless given) and `workerCount` workers, with
 * `workerEnv` added to theirs (e.g. `BLOCK_PAYMENT: '1'`).
 */
export async function startDashboardApp(
  dashboard: StrategosDashboardOptions = {},
  workerCount = 1,
  workerEnv: Record<string, string> = {},
  setup: DashboardAppSetup = {},
): Promise<DashboardTestApp> {
  const workflows = setup.workflows ?? [processOrder];
  const environment = setup.environment ?? (await createTestEnvironment());
  @Module({
    imports: [
      StrategosModule.forRoot({
        rabbitmq: { url: environment.rabbitmqUrl },
        postgres: { url: environment.databaseUrl, schema: environment.schema },
        namespace: environment.namespace,
        shutdownGraceMs: 2_000,
        steps: [...(setup.steps ?? [])],
      }),
      StrategosModule.forFeature({ workflows: [...workflows] }),
      StrategosDashboardModule.forRoot(dashboard),
    ],
    providers: [...(setup.providers ?? [])],
  })
  class DashboardTestModule {}

  const app = await NestFactory.create(DashboardTestModule, { logger: ['error', 'warn'] });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const origin = `http://127.0.0.1:${address.port}`;
  const workers = Array.from({ length: workerCount }, () =>
    startProcess('libs/strategos/test/fixtures/test-worker.main.js', { ...environment.env, ...workerEnv }),
  );
  await Promise.all(workers.map((worker) => worker.waitForOutput('worker-ready')));
  return {
    environment,
    app,
    origin,
    url: `${origin}${dashboard.path ?? '/strategos'}`,
    starter: app.get(WorkflowStarter),
    query: app.get(WorkflowQuery),
    deadLetters: app.get(DeadLetters),
    workers,
    async stop() {
      await Promise.all(workers.map((worker) => worker.stop()));
      await app.close();
      if (!setup.environment) await environment.cleanup([...workflows]);
    },
  };
}

/** A guard for the tests: lets through requests with `x-test-user`, and puts that user on the request. */
export class HeaderUserGuard implements CanActivate {
  canActivate(context: Parameters<CanActivate['canActivate']>[0]): boolean {
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; user?: unknown }>();
    const name = request.headers['x-test-user'];
    if (!name) return false;
    request.user = { username: name };
    return true;
  }
}

/** The guard class, for `forRoot({ guard })`. */
export const HEADER_USER_GUARD: Type<CanActivate> = HeaderUserGuard;

/** A session of the dashboard's API as the page has it: the CSRF cookie and token from `api/meta`. */
export interface DashboardSession {
  readonly cookie: string;
  readonly token: string;
  readonly header: string;
}

export async function openSession(url: string): Promise<DashboardSession> {
  const response = await fetch(`${url}/api/meta`);
  const meta = (await response.json()) as { csrfToken: string; csrfHeader: string };
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0];
  return { cookie, token: meta.csrfToken, header: meta.csrfHeader };
}

/** POSTs an action as the page does (same origin, cookie and CSRF header), with extra headers. */
export function postAction(
  app: Pick<DashboardTestApp, 'url' | 'origin'>,
  session: DashboardSession,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${app.url}/api/${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      origin: app.origin,
      cookie: session.cookie,
      [session.header]: session.token,
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
