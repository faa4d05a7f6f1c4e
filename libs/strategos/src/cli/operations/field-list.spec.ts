import { formatFields } from './field-list';

describe('formatFields', () => {
  it('aligns the values and leaves out fields without one', () => {
    expect(
      formatFields([
        ['status', 'failed'],
        ['completedAt', undefined],
        ['error', 'NO_CARRIER at Ship: none'],
      ]),
    ).toBe('status  failed\nerror   NO_CARRIER at Ship: none\n');
  });
});
