/** The floor's SQL for one (generated) schema; every value is a parameter. */
export function floorStatements(schema: string) {
  const s = `"${schema}"`;
  return {
    recordMessage: `INSERT INTO ${s}.inbox (message_id) VALUES ($1) ON CONFLICT DO NOTHING`,
    updateState: `UPDATE ${s}.state SET data = data || $2::jsonb, version = version + 1 WHERE id = $1 AND version = $3`,
    appendEvent: `INSERT INTO ${s}.events (workflow_id, sequence, kind, data, recorded_at) VALUES ($1, $2, 'StepCompleted', $3::jsonb, now())`,
    recordMessages: `INSERT INTO ${s}.inbox (message_id) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING RETURNING message_id`,
    updateStates: `UPDATE ${s}.state st SET data = st.data || u.patch, version = st.version + 1
      FROM unnest($1::text[], $2::jsonb[], $3::int[]) AS u(id, patch, expected_version)
      WHERE st.id = u.id AND st.version = u.expected_version RETURNING st.id`,
    appendEvents: `INSERT INTO ${s}.events (workflow_id, sequence, kind, data, recorded_at)
      SELECT id, sequence, 'StepCompleted', patch, now() FROM unnest($1::text[], $2::int[], $3::jsonb[]) AS e(id, sequence, patch)`,
    insertStarted: `INSERT INTO ${s}.state (id, data, version) SELECT id, data, 0 FROM unnest($1::text[], $2::jsonb[]) AS t(id, data)`,
    appendStarted: `INSERT INTO ${s}.events (workflow_id, sequence, kind, data, recorded_at) SELECT id, 0, 'Started', '{}'::jsonb, now() FROM unnest($1::text[]) AS t(id)`,
  } as const;
}

export type FloorStatements = ReturnType<typeof floorStatements>;

/** What applying one command did. */
export type FloorApplyResult = 'applied' | 'duplicate' | 'conflict';

/** The state patch of a step (small, like a step's `evolve(...)` patch). */
export function stepPatch(step: number): string {
  return JSON.stringify({ status: `step-${step}-done` });
}
