import { processOrder } from '@app/orders';
import { startProcess, type RunningProcess } from './processes';
import { createTestEnvironment, startTestApp, type TestApp, type TestEnvironment } from './strategos-test-app';

/** An API-only app in this process and worker processes (the test worker), in a fresh namespace and schema. */
export interface ApiAndWorkers {
  readonly environment: TestEnvironment;
  readonly api: TestApp;
  readonly workers: readonly RunningProcess[];
  stop(): Promise<void>;
}

export async function startApiAndWorkers(workerCount: number): Promise<ApiAndWorkers> {
  const environment = await createTestEnvironment();
  const api = await startTestApp(environment, [processOrder], [], { steps: [] });
  const workers = Array.from({ length: workerCount }, () =>
    startProcess('libs/strategos/test/fixtures/test-worker.main.js', environment.env),
  );
  await Promise.all(workers.map((worker) => worker.waitForOutput('worker-ready')));
  return {
    environment,
    api,
    workers,
    async stop() {
      await Promise.all(workers.map((worker) => worker.stop()));
      await api.close();
      await environment.cleanup([processOrder]);
    },
  };
}
