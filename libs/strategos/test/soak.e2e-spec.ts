import { initialOrderState, processOrder } from '@app/orders';
import type { HistoryEntry } from '@strategos/nestjs';
import { stepCompletionCounts, waitForAll } from './support/history-assertions';
import { closeBrokerConnections, terminateDatabaseBackends } from './support/outages';
import { startProcess, type RunningProcess } from './support/processes';
import { startApiAndWorkers, type ApiAndWorkers } from './support/api-and-workers';

const WORKER = 'libs/strategos/test/fixtures/test-worker.main.js';
const ORDER_STEPS = { ValidateOrder: 1, ProcessPayment: 1, ReserveInventory: 1, FulfillOrder: 1, SendConfirmation: 1 };
const WORKFLOWS = 360;
/** Workflows started per tick, and the tick: a steady 12 per second, which two workers keep up with. */
const PER_TICK = 6;
const TICK_MS = 500;
const RESUME_LIMIT_MS = 2_000;
/** Extra starts just before each kill, so that many runs are in flight when it happens. */
const BURST = 40;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * How long after `at` each run that was in flight then (an event before it, its last one after it) recorded its
 * next transition.
 */
function resumeGaps(histories: ReadonlyMap<string, readonly HistoryEntry[]>, at: number): { workflowId: string; gapMs: number }[] {
  const gaps: { workflowId: string; gapMs: number }[] = [];
  for (const [workflowId, history] of histories) {
    const times = history.map((event) => event.timestamp.getTime());
    if (times[0] >= at || times[times.length - 1] <= at) continue;
    gaps.push({ workflowId, gapMs: times.find((time) => time > at)! - at });
  }
  return gaps;
}

/**
 * A CI-sized soak: workflows start at a steady rate while a worker is killed with SIGKILL (twice), the namespace's
 * broker connections are closed and its database backends terminated. Nothing is lost or applied twice, and every
 * run in flight at a kill moves on within 2 s.
 */
describe('soak: kill -9, broker connection cuts and database backend kills under steady load', () => {
  let system: ApiAndWorkers;
  const replacements: RunningProcess[] = [];

  beforeAll(async () => {
    system = await startApiAndWorkers(2);
  });

  afterAll(async () => {
    await Promise.all(replacements.map((worker) => worker.stop()));
    await system.stop();
  });

  it('loses nothing, duplicates nothing, and resumes every run within 2 s of a kill', async () => {
    const { api, environment } = system;
    const workers = [...system.workers];
    const kills: number[] = [];
    const faults = new Map<number, () => Promise<void>>([
      [12, () => kill(0)],
      [22, async () => void (await closeBrokerConnections(environment.namespace))],
      [32, async () => void (await terminateDatabaseBackends(environment.databaseUrl, environment.namespace))],
      [44, () => kill(1)],
    ]);
    /** A burst of starts, then SIGKILL of a worker while they are in flight; a replacement starts at once. */
    async function kill(index: number): Promise<void> {
      for (let i = 0; i < BURST; i++) start();
      await sleep(150);
      kills.push(Date.now());
      await workers[index].stop('SIGKILL');
      const replacement = startProcess(WORKER, environment.env);
      replacements.push(replacement);
      workers[index] = replacement;
    }

    const ids: string[] = [];
    const starts: Promise<unknown>[] = [];
    function start(): void {
      const state = initialOrderState();
      ids.push(state.workflowId);
      // Starting may fail while the API's own connections are cut; the start is then retried.
      starts.push(startWithRetry(() => api.starter.start(processOrder, state)));
    }
    for (let tick = 0; ids.length < WORKFLOWS; tick++) {
      for (let i = 0; i < PER_TICK; i++) start();
      await faults.get(tick)?.();
      await sleep(TICK_MS);
    }
    await Promise.all(starts);

    const views = await waitForAll(api.query, ids, 180_000);
    expect(views.filter((view) => view.status !== 'completed').map((view) => view.workflowId)).toEqual([]);
    const histories = new Map<string, HistoryEntry[]>();
    for (const id of ids) {
      const history = await api.query.history(id);
      histories.set(id, history);
      // No transition lost or applied twice: a gapless sequence, each step completed once.
      expect(history.map((event) => event.sequence)).toEqual(history.map((_, index) => index + 1));
      expect(await stepCompletionCounts(api.query, id)).toEqual(ORDER_STEPS);
    }

    expect(kills).toHaveLength(2);
    for (const at of kills) {
      const gaps = resumeGaps(histories, at);
      // Runs were in flight at the kill (the burst), and each of them moved on within the limit.
      expect(gaps.length).toBeGreaterThan(0);
      expect(gaps.filter((gap) => gap.gapMs >= RESUME_LIMIT_MS)).toEqual([]);
    }
  });
});

async function startWithRetry(start: () => Promise<unknown>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await start();
      return;
    } catch (error) {
      if (attempt >= 20) throw error;
      await sleep(250);
    }
  }
}
