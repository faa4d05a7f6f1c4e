import { setTimeout as sleep } from 'node:timers/promises';
import { initialOrderState } from '@app/orders';
import type { Pool } from 'pg';
import type { BenchNames } from '../bench-names';
import type { BenchOptions } from '../bench-options';
import { bestEffort } from '../best-effort';
import { waitForCompletion } from '../completion-poller';
import { progress } from '../progress';
import { benchOrder } from './bench-order.workflow';
import { preloadFinishedRuns } from './finished-runs-preload';
import { countTerminal } from './framework-measurements';
import type { FrameworkTuning } from './framework-tuning';
import { frameworkWorkerReady, startFrameworkWorker } from './framework-worker';
import { createStarterApp, type StarterApp } from './starter-app';

const TEMPLATE_TIMEOUT_MS = 30_000;

/**
 * `--preload N`: fills the run's schema with N finished order workflows before the measured worker starts, so that
 * its connections plan their statements on large, analyzed tables, as after a production restart. One workflow runs
 * through a throwaway worker (it migrates the schema and leaves a real finished run); {@link preloadFinishedRuns}
 * replaces it with N copies, moves the event-log cursor past them and analyzes the tables.
 */
export async function preloadFrameworkSchema(options: BenchOptions, names: BenchNames, tuning: FrameworkTuning, pool: Pool): Promise<void> {
  const startedAt = Date.now();
  await runTemplate(options, names, tuning, pool);
  const templateMs = Date.now() - startedAt;
  await preloadFinishedRuns(pool, { schema: names.schema, namespace: names.namespace, runs: options.preload, ids: options.workflowIds });
  progress(`framework: preloaded ${options.preload} finished runs in ${Date.now() - startedAt} ms (template run ${templateMs} ms)`);
}

/** One workflow through a worker that is stopped afterwards, once the run finished and its outbox is empty. */
async function runTemplate(options: BenchOptions, names: BenchNames, tuning: FrameworkTuning, pool: Pool): Promise<void> {
  const worker = startFrameworkWorker({ ...options, cpuProfile: false, countQueries: false }, names, tuning);
  let app: StarterApp | undefined;
  try {
    await frameworkWorkerReady(worker);
    app = await createStarterApp(names, options, tuning);
    await app.starter.start(benchOrder, initialOrderState());
    await waitForCompletion({
      label: 'preload template',
      target: 1,
      intervalMs: 50,
      stallMs: TEMPLATE_TIMEOUT_MS,
      count: () => countTerminal(pool, names.schema, new Date(0)),
      failure: () => worker.exitReason,
    });
    await outboxEmptied(pool, names.schema);
  } finally {
    await worker.stop();
    await bestEffort('closing the preload starter app', async () => app?.close());
  }
}

async function outboxEmptied(pool: Pool, schema: string): Promise<void> {
  const deadline = Date.now() + TEMPLATE_TIMEOUT_MS;
  for (;;) {
    const { rows } = await pool.query<{ count: number }>(`SELECT count(*)::int AS count FROM "${schema}".outbox`);
    if (rows[0].count === 0) return;
    if (Date.now() > deadline)
      throw new Error(`preload template: ${rows[0].count} outbox rows still unpublished after ${TEMPLATE_TIMEOUT_MS} ms`);
    await sleep(50);
  }
}
