/**
 * An array parameter the planner cannot look into: `(SELECT $n::type[])::type[]`, an init plan whose value is
 * known only when the statement runs. PostgreSQL plans a prepared statement generically (once per connection)
 * only while a plan made for the actual values looks no cheaper; given the array itself it estimates the exact
 * number of elements, so every custom plan looked cheaper and each execution was planned anew (about 0.6 ms of
 * the server's CPU for a single commit). Hidden this way, custom and generic plans cost the same and the
 * generic one is kept; the primary key still finds the rows (`test/commit-plan.e2e-spec.ts`).
 */
export function planOnceArray(parameter: string, elementType: string): string {
  return `(SELECT ${parameter}::${elementType}[])::${elementType}[]`;
}
