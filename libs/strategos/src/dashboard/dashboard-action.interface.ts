import type { Type } from '@nestjs/common';
import type { WorkflowControl } from '../client/workflow-control';
import type { DeadLetters } from '../dead-letters/dead-letters';
import type { RunSummary } from './run-summary';

/** A field of an action's form, as the page renders it (the DTO class validates it on the server). */
export interface DashboardActionField {
  readonly name: string;
  readonly label: string;
  readonly type: 'text' | 'json' | 'boolean';
  readonly required: boolean;
}

/** What actions act with. */
export interface DashboardActionServices {
  readonly control: WorkflowControl;
  readonly deadLetters: DeadLetters;
}

/**
 * One operator action of the dashboard. The registry of actions drives both the API (`POST
 * api/runs/:id/actions/:name`, `POST api/dead-letters/:id/actions/:name`) and the page's buttons and forms, so
 * that an action (e.g. sending a signal, once `WorkflowControl` has it) is one more entry.
 */
export interface DashboardAction<B extends object = object> {
  /** In the URL and in the recorded `OperatorAction` event: `cancel`, `retry`, `replay`, `discard`. */
  readonly name: string;
  readonly label: string;
  readonly target: 'run' | 'dead-letter';
  /** The question the page asks before sending it. */
  readonly confirm: string;
  /** The class-validator class of the request body (unknown properties are refused). */
  readonly body: Type<B>;
  readonly fields: readonly DashboardActionField[];
  /** Whether the page offers it for this run (run actions); the server still lets the engine decide. */
  readonly offeredFor?: (run: RunSummary) => boolean;
  /** Performs it; returns the run it concerned (for the history), when known. */
  execute(services: DashboardActionServices, targetId: string, body: B): Promise<{ readonly workflowId: string | null }>;
}
