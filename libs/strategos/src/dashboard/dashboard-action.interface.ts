import type { Type } from '@nestjs/common';
import type { WorkflowControl } from '../client/workflow-control';
import type { DeadLetters } from '../dead-letters/dead-letters';
import type { RunSummary } from './run-summary';
import type { RunWait } from './run-wait';

/** A field of an action's form, as the page renders it (the DTO class validates it on the server). */
export interface DashboardActionField {
  readonly name: string;
  readonly label: string;
  readonly type: 'text' | 'json' | 'boolean';
  readonly required: boolean;
  /** Filled in by the page from the run's wait (`name`: the signal's name), shown read only. */
  readonly fromWait?: 'name';
}

/** What actions act with. */
export interface DashboardActionServices {
  readonly control: WorkflowControl;
  readonly deadLetters: DeadLetters;
  /** Who is acting (the `actor` option's answer), e.g. an approval's `by`. */
  readonly actor: string | null;
  /** The signals and approvals the run is parked at now. */
  waitsOf(workflowId: string): Promise<readonly RunWait[]>;
}

/** What an action did: the run it concerned (for the history), when known, and what to record with it. */
export interface DashboardActionOutcome {
  readonly workflowId: string | null;
  /** The signal sent (signal, approve, reject), recorded on the run. */
  readonly signal?: string;
  /** `applied`, `stored` (the run has not reached the wait yet) or `duplicate`, for signals. */
  readonly signalStatus?: 'applied' | 'stored' | 'duplicate';
}

/**
 * One operator action of the dashboard. The registry of actions drives both the API (`POST
 * api/runs/:id/actions/:name`, `POST api/dead-letters/:id/actions/:name`) and the page's buttons and forms, so
 * that an action is one more entry.
 */
export interface DashboardAction<B extends object = object> {
  /** In the URL and in the recorded `OperatorAction` event: `cancel`, `retry`, `signal`, `approve`, `reject`, `replay`, `discard`. */
  readonly name: string;
  readonly label: string;
  readonly target: 'run' | 'dead-letter';
  /** The question the page asks before sending it. */
  readonly confirm: string;
  /** The class-validator class of the request body (unknown properties are refused). */
  readonly body: Type<B>;
  readonly fields: readonly DashboardActionField[];
  /**
   * Whether the page offers it for this run (run actions), given the signals and approvals it waits for; the
   * server still lets the engine decide.
   */
  readonly offeredFor?: (run: RunSummary, waits: readonly RunWait[]) => boolean;
  /** Text the body gives for the run's history (`reason`), e.g. a cancel's reason or an approval's comment. */
  readonly reasonOf?: (body: B) => string | undefined;
  /** Performs it. */
  execute(services: DashboardActionServices, targetId: string, body: B): Promise<DashboardActionOutcome>;
}
