/** The server's JSON shapes (libs/strategos/src/dashboard), as the page reads them. */
export type Status = 'running' | 'completed' | 'failed' | 'compensated' | 'cancelled';

export interface RecordedError {
  readonly code: string;
  readonly message: string;
  readonly step: string;
}

export interface RunSummary {
  readonly workflowId: string;
  readonly workflow: string;
  readonly phase: string;
  readonly status: Status;
  readonly version: number;
  readonly error: RecordedError | null;
  readonly cancelReason: string | null;
  readonly startedAt: string;
  readonly updatedAt: string;
  readonly completedAt: string | null;
}

export interface RunPage {
  readonly items: RunSummary[];
  readonly nextCursor?: string;
}

export interface ActionField {
  readonly name: string;
  readonly label: string;
  readonly type: 'text' | 'json' | 'boolean';
  readonly required: boolean;
  /** Filled in from the run's wait, read only. */
  readonly fromWait?: 'name';
}

export interface ActionInfo {
  readonly name: string;
  readonly label: string;
  readonly target: 'run' | 'dead-letter';
  readonly confirm: string;
  readonly fields: readonly ActionField[];
}

export interface Meta {
  readonly readOnly: boolean;
  readonly live: boolean;
  readonly workflows: readonly { readonly name: string; readonly phases: readonly string[] }[];
  readonly actions: readonly ActionInfo[];
  readonly csrfHeader: string;
  readonly csrfToken: string;
}

export interface HistoryEntry {
  readonly type: string;
  readonly kind: string;
  readonly sequence: number;
  readonly data: Record<string, unknown>;
  readonly timestamp: string;
}

export interface ActivePosition {
  readonly path: string;
  readonly step: string;
  readonly since: string;
  readonly attempt?: number;
  readonly waitingFor?: string;
  readonly wakesAt?: string;
  readonly loop?: string;
  readonly iteration?: number;
}

export interface RunWait {
  readonly name: string;
  readonly kind: 'signal' | 'approval';
  readonly path: string;
}

export interface RunDetails {
  readonly run: RunSummary & {
    readonly state: unknown;
    readonly active: readonly ActivePosition[];
    readonly compensationError?: RecordedError;
    readonly estimatedCompletionAt?: string;
  };
  readonly history: HistoryEntry[];
  readonly diagram: string | null;
  readonly traceId: string | null;
  readonly waits: readonly RunWait[];
  readonly actions: readonly string[];
}

export interface DeadLetter {
  readonly id: string;
  readonly originalQueue: string;
  readonly code: string;
  readonly reason: string;
  readonly messageId: string | null;
  readonly type: string | null;
  readonly headers: Record<string, string | number>;
  readonly body: string;
  readonly deadLetteredAt: string;
}

export interface DeadLetterPage {
  readonly items: DeadLetter[];
  readonly nextCursor?: string;
}

export interface WorkflowStats {
  readonly workflow: string;
  readonly windowMinutes: number;
  readonly started: number;
  readonly completed: number;
  readonly failed: number;
  readonly cancelled: number;
  readonly running: number;
  readonly throughputPerMinute: number;
  readonly failureRate: number;
  readonly stepLatencies: { step: string; samples: number; p50Ms: number; p95Ms: number; p99Ms: number }[];
  readonly queues: {
    step: string;
    queue: string;
    consumers: number | null;
    messages: number | null;
    runsWaiting: number;
    stalled: boolean;
  }[];
}

export interface LiveBatch {
  readonly runs: RunSummary[];
  readonly overflow: boolean;
}
