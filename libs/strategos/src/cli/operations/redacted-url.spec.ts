import { connectionErrorMessage, redactedUrl } from './redacted-url';

describe('redactedUrl', () => {
  it('masks the password and keeps the rest', () => {
    expect(redactedUrl('amqp://guest:guest@127.0.0.1:5672')).toBe('amqp://guest:***@127.0.0.1:5672');
    expect(redactedUrl('postgres://app:s%40cret@db:5432/orders?sslmode=require')).toBe('postgres://app:***@db:5432/orders?sslmode=require');
    expect(redactedUrl('postgres://postgres@127.0.0.1:5432/test')).toBe('postgres://postgres@127.0.0.1:5432/test');
  });

  it('shows nothing of a string that is not a URL', () => {
    expect(redactedUrl('host=db password=hunter2')).toBe('(a URL that does not parse)');
  });
});

describe('connectionErrorMessage', () => {
  it("masks the URL's password wherever a library quoted it", () => {
    expect(connectionErrorMessage(new Error('cannot log in as app:s@cret@db'), 'postgres://app:s%40cret@db/x')).toBe(
      'cannot log in as app:***@db',
    );
  });

  it('describes an AggregateError without a message by its inner errors', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED ::1:1'), { code: 'ECONNREFUSED' });
    const refusedV4 = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(connectionErrorMessage(new AggregateError([refused, refusedV4]), 'postgres://localhost:1/x')).toBe(
      'connect ECONNREFUSED ::1:1; connect ECONNREFUSED 127.0.0.1:1',
    );
  });

  it('falls back to the code of an error without a message', () => {
    expect(connectionErrorMessage(Object.assign(new Error(''), { code: 'ETIMEDOUT' }), 'amqp://h')).toBe('ETIMEDOUT');
  });
});
