import { Inject, Injectable, NotFoundException, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { WorkflowControl } from '../client/workflow-control';
import { diagramModelOf, renderStateDiagram } from '../codegen/mermaid-state-diagram';
import { derivePhases } from '../codegen/workflow-phases';
import { DeadLetters } from '../dead-letters/dead-letters';
import type { DeadLetter } from '../dead-letters/dead-letter';
import { stepQueueName, topologyNames } from '../messages/topology';
import { StrategosRuntime } from '../nest/strategos-runtime';
import { WorkflowQuery } from '../query/workflow-query';
import type { HistoryEntry, WorkflowView } from '../query/workflow-view';
import type { DashboardAction } from './dashboard-action.interface';
import { DashboardActionPerformer, type ActionResult } from './dashboard-action-performer';
import { DASHBOARD_ACTIONS } from './dashboard-actions';
import { DashboardEventFeed } from './dashboard-event-feed';
import { DashboardReadModel } from './dashboard-read-model';
import { DASHBOARD_SETTINGS, CSRF_HEADER } from './dashboard.constants';
import { decodeDeadLettersCursor, encodeDeadLettersCursor } from './dead-letters-cursor';
import type { DashboardSettings } from './dashboard-settings';
import type { DeadLettersQueryDto } from './dead-letters-query.dto';
import type { ListRunsQueryDto } from './list-runs-query.dto';
import { LiveUpdates, type LiveBatch } from './live-updates';
import { OperatorActionRecorder } from './operator-action-recorder';
import type { RunSummaryPage } from './run-summary';
import { runTraceId } from './run-trace-id';
import { runWaits, type RunWait } from './run-wait';
import { decodeRunsCursor } from './runs-cursor';
import type { StatsQueryDto } from './stats-query.dto';
import { StrategosDashboardConfigError } from './strategos-dashboard-config.error';
import type { DashboardRequest } from './strategos-dashboard-options.interface';
import type { WorkflowStats } from './workflow-stats';

/** What the page reads first: the workflows, the actions it may offer, and how to send them. */
export interface DashboardMeta {
  readonly readOnly: boolean;
  readonly live: boolean;
  readonly workflows: readonly { readonly name: string; readonly phases: readonly string[] }[];
  readonly actions: readonly Pick<DashboardAction, 'name' | 'label' | 'target' | 'confirm' | 'fields'>[];
  readonly csrfHeader: string;
}

/** One page of dead letters, oldest first. */
export interface DeadLetterPage {
  readonly items: DeadLetter[];
  readonly nextCursor?: string;
}

/** The run page's data. */
export interface RunDetails {
  readonly run: WorkflowView;
  readonly history: HistoryEntry[];
  /** Mermaid source with the current position highlighted; null when the workflow is not registered here. */
  readonly diagram: string | null;
  readonly traceId: string | null;
  /** The signals and approvals the run is parked at (the page's signal, approve and reject forms use their names). */
  readonly waits: readonly RunWait[];
  /** The actions the page offers for this run now. */
  readonly actions: readonly string[];
}

export type { ActionResult };

const LATENCY_SAMPLE_RUNS = 500;

/**
 * The dashboard's server side: reads (from the store through {@link DashboardReadModel} and `WorkflowQuery`),
 * live batches (from the events exchange), and actions (through `WorkflowControl` and `DeadLetters`, each
 * recorded on the run). Needs no step of its own: it works in an API-only process.
 */
@Injectable()
export class StrategosDashboardService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly readModel: DashboardReadModel;
  private readonly feed: DashboardEventFeed | null;
  private readonly live: LiveUpdates;
  private readonly performer: DashboardActionPerformer;

  constructor(
    @Inject(DASHBOARD_SETTINGS) readonly settings: DashboardSettings,
    private readonly runtime: StrategosRuntime,
    private readonly query: WorkflowQuery,
    private readonly control: WorkflowControl,
    private readonly deadLetters: DeadLetters,
  ) {
    const options = runtime.options;
    if (!options.postgres)
      throw new StrategosDashboardConfigError(
        'postgres',
        'the dashboard reads the PostgreSQL store: configure StrategosModule with postgres',
      );
    this.readModel = new DashboardReadModel(options.postgres);
    this.live = new LiveUpdates(settings.liveBatchMs, (ids) => this.readModel.summaries(ids));
    this.feed = options.rabbitmq
      ? new DashboardEventFeed(
          options.rabbitmq.url,
          topologyNames(runtime.settings.namespace).eventsExchange,
          `strategos-${runtime.settings.namespace}-dashboard-${process.pid}`,
          (event) => this.live.accept(event),
        )
      : null;
    const recorder = new OperatorActionRecorder(runtime.registry, runtime.store, runtime.committer);
    this.performer = new DashboardActionPerformer(control, deadLetters, recorder, (workflowId) => this.waitsOf(workflowId));
  }

  onApplicationBootstrap(): void {
    // Not awaited: the runtime declares the events exchange in its own bootstrap, which may come after this one.
    this.runtime.ready().then(
      () => this.feed?.start(),
      () => undefined,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    this.live.close();
    await this.feed?.close();
    await this.readModel.close();
  }

  meta(): DashboardMeta {
    return {
      readOnly: this.settings.readOnly,
      live: this.feed !== null,
      workflows: this.runtime.registry.all().map((definition) => ({
        name: definition.name,
        phases: derivePhases(definition).map((phase) => phase.name),
      })),
      actions: this.settings.readOnly
        ? []
        : DASHBOARD_ACTIONS.map(({ name, label, target, confirm, fields }) => ({ name, label, target, confirm, fields })),
      csrfHeader: CSRF_HEADER,
    };
  }

  listRuns(dto: ListRunsQueryDto): Promise<RunSummaryPage> {
    return this.readModel.listRuns({
      ...(dto.workflow ? { workflow: dto.workflow } : {}),
      ...(dto.status && dto.status.length > 0 ? { statuses: dto.status } : {}),
      ...(dto.phase ? { phase: dto.phase } : {}),
      ...(dto.from ? { startedAfter: new Date(dto.from).toISOString() } : {}),
      ...(dto.to ? { startedBefore: new Date(dto.to).toISOString() } : {}),
      ...(dto.id ? { idPrefix: dto.id } : {}),
      ...(dto.cursor ? { before: decodeRunsCursor(dto.cursor) } : {}),
      limit: dto.limit ?? 50,
    });
  }

  /** @throws NotFoundException (404, `WORKFLOW_NOT_FOUND`). */
  async run(workflowId: string): Promise<RunDetails> {
    const [run, history] = await Promise.all([this.query.get(workflowId), this.query.history(workflowId)]);
    if (!run) throw new NotFoundException({ code: 'WORKFLOW_NOT_FOUND', message: `No workflow run ${workflowId}` });
    const definition = this.runtime.registry.find(run.workflow);
    const diagram = definition
      ? renderStateDiagram(diagramModelOf(definition), {
          // Inside a fork the phase is `Fork(...)`: highlight each running path's step.
          highlight: [run.phase, ...run.active.map((position) => position.step)],
        })
      : null;
    const summary = {
      ...run,
      error: run.error ?? null,
      cancelReason: run.cancelReason ?? null,
      startedAt: run.startedAt.toISOString(),
      updatedAt: run.updatedAt.toISOString(),
      completedAt: run.completedAt?.toISOString() ?? null,
    };
    const waits = run.status === 'running' ? runWaits(definition, run.active) : [];
    const actions = this.settings.readOnly
      ? []
      : DASHBOARD_ACTIONS.filter((action) => action.target === 'run' && (action.offeredFor?.(summary, waits) ?? true)).map(
          (action) => action.name,
        );
    return { run, history, diagram, traceId: runTraceId(history, this.live.traceId(workflowId)), waits, actions };
  }

  /** The signals and approvals the run is parked at (none when it is not running). @throws NotFoundException (404). */
  private async waitsOf(workflowId: string): Promise<RunWait[]> {
    const run = await this.query.get(workflowId);
    if (!run) throw new NotFoundException({ code: 'WORKFLOW_NOT_FOUND', message: `No workflow run ${workflowId}` });
    return run.status === 'running' ? runWaits(this.runtime.registry.find(run.workflow), run.active) : [];
  }

  /** A page of dead letters, oldest first; `nextCursor` is absent on the last page. */
  async deadLetterList(dto: DeadLettersQueryDto): Promise<DeadLetterPage> {
    const limit = dto.limit ?? 50;
    const letters = await this.deadLetters.list({
      ...(dto.code ? { code: dto.code } : {}),
      ...(dto.queue ? { queue: dto.queue } : {}),
      ...(dto.cursor ? { after: decodeDeadLettersCursor(dto.cursor) } : {}),
      limit: limit + 1,
    });
    const items = letters.slice(0, limit);
    const last = items.at(-1);
    return { items, ...(letters.length > limit && last ? { nextCursor: encodeDeadLettersCursor(last) } : {}) };
  }

  /** @throws NotFoundException (404, `WORKFLOW_NOT_REGISTERED`) for a workflow this process does not know. */
  async stats(dto: StatsQueryDto): Promise<WorkflowStats[]> {
    const windowMinutes = dto.windowMinutes ?? 60;
    const definitions = dto.workflow ? [this.runtime.registry.find(dto.workflow)] : this.runtime.registry.all();
    if (definitions.some((definition) => definition === undefined))
      throw new NotFoundException({
        code: 'WORKFLOW_NOT_REGISTERED',
        message: `Workflow ${dto.workflow} is not registered in this process`,
      });
    const since = new Date(Date.now() - windowMinutes * 60_000);
    return Promise.all(
      definitions.map(async (definition) => {
        const name = definition!.name;
        const [counts, stepLatencies] = await Promise.all([
          this.readModel.counts(name, since),
          this.readModel.stepLatencies(name, LATENCY_SAMPLE_RUNS),
        ]);
        const queues = await Promise.all(
          [...definition!.stepsByName.keys()].map(async (step) => {
            const queue = stepQueueName(this.runtime.settings.namespace, name, step);
            const status = (await this.feed?.queueStatus(queue)) ?? null;
            // A run in a fork is at `Fork(...)`: it counts at each step one of its paths is at.
            const runsWaiting = (counts.runningByPhase[step] ?? 0) + (counts.runningInForkPaths[step] ?? 0);
            const consumers = status?.consumers ?? null;
            const messages = status?.messages ?? null;
            return { step, queue, consumers, messages, runsWaiting, stalled: consumers === 0 && ((messages ?? 0) > 0 || runsWaiting > 0) };
          }),
        );
        const completed = counts.byStatus.completed ?? 0;
        const failed = (counts.byStatus.failed ?? 0) + (counts.byStatus.compensated ?? 0);
        const cancelled = counts.byStatus.cancelled ?? 0;
        return {
          workflow: name,
          windowMinutes,
          started: counts.started,
          completed,
          failed,
          cancelled,
          running: Object.values(counts.runningByPhase).reduce((sum, count) => sum + count, 0),
          throughputPerMinute: Math.round(((completed + failed + cancelled) / windowMinutes) * 100) / 100,
          failureRate: completed + failed === 0 ? 0 : Math.round((failed / (completed + failed)) * 10_000) / 10_000,
          stepLatencies,
          queues,
        };
      }),
    );
  }

  liveBatches(): Observable<LiveBatch> {
    return this.live.stream();
  }

  /** Performs an action as `request`'s actor (see {@link DashboardActionPerformer.perform}). */
  perform(target: 'run' | 'dead-letter', name: string, targetId: string, body: unknown, request: DashboardRequest): Promise<ActionResult> {
    return this.performer.perform(target, name, targetId, body, this.settings.actor(request));
  }
}
