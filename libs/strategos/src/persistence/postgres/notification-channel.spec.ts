import { notificationChannel } from './notification-channel';

describe('notificationChannel', () => {
  it('is <schema>_transitions while that fits in an identifier', () => {
    expect(notificationChannel('strategos')).toBe('strategos_transitions');
    expect(notificationChannel('a'.repeat(51))).toBe(`${'a'.repeat(51)}_transitions`);
  });

  it('shortens a long schema with a hash, so that two long schemas never share a channel', () => {
    const one = notificationChannel(`${'a'.repeat(60)}_1`);
    const two = notificationChannel(`${'a'.repeat(60)}_2`);
    expect(one.length).toBeLessThanOrEqual(63);
    expect(one).toMatch(/^[a-z0-9_]+_transitions$/);
    expect(one).not.toBe(two);
  });
});
