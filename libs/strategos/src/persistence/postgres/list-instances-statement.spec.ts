import { listInstancesStatement } from './list-instances-statement';

describe('listInstancesStatement', () => {
  it('selects a page plus one row in keyset order, with no filter when none is given', () => {
    const { text, values } = listInstancesStatement('orders', { limit: 50 });
    expect(text).toMatch(/FROM "orders"\.instances ORDER BY started_at, workflow_id COLLATE "C" LIMIT \$1::int$/);
    expect(values).toEqual([51]);
  });

  it('passes every filter value as a parameter, whatever it holds', () => {
    const hostile = "x'; DROP TABLE instances; --";
    const { text, values } = listInstancesStatement('orders', {
      workflowName: hostile,
      statuses: ['running'],
      phase: hostile,
      startedAfter: '2030-01-01T00:00:00.000Z',
      startedBefore: '2030-01-02T00:00:00.000Z',
      after: { startedAt: '2030-01-01T12:00:00.000Z', workflowId: hostile },
      limit: 10,
    });
    expect(text).not.toContain(hostile);
    expect(text).not.toMatch(/'/);
    expect(text).toContain('(started_at, workflow_id COLLATE "C") > ($6::timestamptz, $7::text)');
    expect(values).toEqual([
      hostile,
      ['running'],
      hostile,
      '2030-01-01T00:00:00.000Z',
      '2030-01-02T00:00:00.000Z',
      '2030-01-01T12:00:00.000Z',
      hostile,
      11,
    ]);
  });
});
