import { randomUUID } from 'node:crypto';
import type { ScriptedState, scriptedSaga } from '../fixtures/scripted-workflow';
import { FreezableProxy } from './freezable-proxy';
import { startProcess, type RunningProcess } from './processes';
import { createTestEnvironment, startTestApp, type TestApp, type TestEnvironment } from './strategos-test-app';

const WORKER = 'libs/strategos/test/fixtures/test-worker.main.js';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A worker killed after committing, before publishing, on the real broker and database: an API process that only
 * starts runs (and runs the outbox relay), a worker to kill whose broker traffic passes through a proxy that can
 * stall it, the other steps in a second worker, and a standby for the killed worker's steps.
 */
export class CommitThenCrash {
  private readonly workers: RunningProcess[] = [];
  private doomed: RunningProcess | undefined;

  private constructor(
    private readonly workflow: typeof scriptedSaga,
    readonly environment: TestEnvironment,
    readonly api: TestApp,
    private readonly proxy: FreezableProxy,
  ) {}

  static async start(workflow: typeof scriptedSaga): Promise<CommitThenCrash> {
    const environment = await createTestEnvironment();
    const api = await startTestApp(environment, [workflow], [], { steps: [] });
    const broker = new URL(environment.rabbitmqUrl);
    const proxy = await FreezableProxy.start(broker.hostname, Number(broker.port || 5672));
    return new CommitThenCrash(workflow, environment, api, proxy);
  }

  /** Starts the worker to kill (steps `doomedSteps`, through the proxy, logging step starts) and one for `otherSteps`. */
  async startWorkers(doomedSteps: readonly string[], otherSteps: readonly string[]): Promise<void> {
    const proxied = new URL(this.environment.rabbitmqUrl);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(this.proxy.port);
    this.doomed = this.startWorker(doomedSteps, { RABBITMQ_URL: proxied.toString(), LOG_STEP_STARTS: '1' });
    const other = this.startWorker(otherSteps);
    await Promise.all([this.doomed.waitForOutput('worker-ready'), other.waitForOutput('worker-ready')]);
  }

  /** Starts `count` runs with `script`; their ids. */
  async startRuns(count: number, script: ScriptedState['script']): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const { workflowId } = await this.api.starter.start(this.workflow, { workflowId: randomUUID(), script });
      ids.push(workflowId);
    }
    return ids;
  }

  /**
   * Once the doomed worker runs `step` of every run, stalls its broker connection (its commits still reach the
   * database directly, what they issue is never published), starts a standby for `standbySteps` (it gets only the
   * redeliveries: every command of `step` is already in the doomed worker's hands), and waits until `step` completed.
   */
  async stallWhileRunning(ids: readonly string[], step: string, standbySteps: readonly string[]): Promise<void> {
    for (const id of ids) await this.doomed!.waitForOutput(`step-started ${id}/${step}#1`);
    this.proxy.freeze();
    const standby = this.startWorker(standbySteps);
    await standby.waitForOutput('worker-ready');
    for (const id of ids) {
      for (let i = 0; i < 500 && !(await this.api.query.history(id)).some((e) => e.kind === 'StepCompleted' && e.data.step === step); i++)
        await sleep(20);
    }
    await sleep(300);
  }

  /**
   * Kills the doomed worker with SIGKILL and ends its connection, as the kernel ends it after a kill (the stalled
   * proxy would keep it open until the broker's heartbeat timeout): the broker redelivers what it had not acknowledged.
   * @returns when the kill was sent (epoch ms).
   */
  async kill(): Promise<number> {
    const killedAt = Date.now();
    await this.doomed!.stop('SIGKILL');
    await this.proxy.close();
    return killedAt;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.stop()));
    await this.proxy.close();
    await this.api.close();
    await this.environment.cleanup([this.workflow]);
  }

  private startWorker(steps: readonly string[], env: Record<string, string> = {}): RunningProcess {
    const worker = startProcess(WORKER, { ...this.environment.env, ...env, STRATEGOS_STEPS: steps.join(',') });
    this.workers.push(worker);
    return worker;
  }
}
