/** The base of every workflow state: a plain, JSON-serialisable object identified by `workflowId`. */
export interface WorkflowState {
  readonly workflowId: string;
}

/** A partial update a step returns; `workflowId` can never change. */
export type StatePatch<S extends WorkflowState> = Partial<Omit<S, 'workflowId'>>;

/** A JSON value, as stored and sent on the wire. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A JSON object. */
export type JsonObject = { [key: string]: JsonValue };
