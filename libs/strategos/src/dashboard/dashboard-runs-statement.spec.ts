import { dashboardRunsStatement, escapeLike, statusOfPhase } from './dashboard-runs-statement';

describe('dashboardRunsStatement', () => {
  it('lists newest first with only the filters given, every value a parameter', () => {
    const { text, values } = dashboardRunsStatement('orders', { workflow: 'process-order', limit: 10 });
    expect(text).toBe(
      'SELECT workflow_id, workflow_name, phase, status, version, error, cancel_reason, started_at, updated_at, completed_at FROM "orders".instances' +
        ' WHERE workflow_name = $1::text ORDER BY started_at DESC, workflow_id COLLATE "C" DESC LIMIT $2::int',
    );
    expect(values).toEqual(['process-order', 11]);
  });

  it('lists a step phase through the running status it implies, and a terminal phase through its own status', () => {
    expect(dashboardRunsStatement('s', { phase: 'ProcessPayment', limit: 5 }).values).toEqual(['running', 'ProcessPayment', 6]);
    expect(dashboardRunsStatement('s', { phase: 'Compensated', limit: 5 }).values).toEqual(['compensated', 'Compensated', 6]);
    // A phase whose status is not among those asked for matches nothing.
    expect(dashboardRunsStatement('s', { phase: 'Completed', statuses: ['failed'], limit: 5 }).text).toContain('status = ANY($1::text[])');
    expect(dashboardRunsStatement('s', { phase: 'Completed', statuses: ['failed'], limit: 5 }).values[0]).toEqual([]);
  });

  it('searches an id prefix literally, with a range the index can use', () => {
    const { text, values } = dashboardRunsStatement('s', { idPrefix: 'a%b_c', limit: 1 });
    expect(text).toContain('workflow_id COLLATE "C" >= $1::text AND workflow_id COLLATE "C" LIKE $2::text');
    expect(values).toEqual(['a%b_c', 'a\\%b\\_c%', 2]);
  });

  it('pages before the previous page’s last run', () => {
    const { text, values } = dashboardRunsStatement('s', { before: { startedAt: '2030-01-01T00:00:00.000Z', workflowId: 'w' }, limit: 2 });
    expect(text).toContain('(started_at, workflow_id COLLATE "C") < ($1::timestamptz, $2::text)');
    expect(values).toEqual(['2030-01-01T00:00:00.000Z', 'w', 3]);
  });

  it('maps phases to statuses and escapes LIKE wildcards', () => {
    expect(['Completed', 'Failed', 'Cancelled', 'Compensating', 'NotStarted'].map(statusOfPhase)).toEqual([
      'completed',
      'failed',
      'cancelled',
      'running',
      'running',
    ]);
    expect(escapeLike('100%\\_')).toBe('100\\%\\\\\\_');
  });
});
