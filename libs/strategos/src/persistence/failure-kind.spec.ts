import { classifyFailure } from './failure-kind';

function pgError(code: string): Error {
  return Object.assign(new Error(`pg ${code}`), { code, severity: 'ERROR' });
}

describe('classifyFailure', () => {
  it.each(['08006', '08001', '40001', '40P01', '57P01', '57P03', '53300'])('SQLSTATE %s is transient', (code) => {
    expect(classifyFailure(pgError(code))).toBe('transient');
  });

  it.each(['22P05', '22021', '22001', '23505', '23502'])('SQLSTATE %s (classes 22 and 23) is a data failure', (code) => {
    expect(classifyFailure(pgError(code))).toBe('data');
  });

  it('treats connection errors, pool timeouts and a full backlog as transient', () => {
    expect(classifyFailure(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }))).toBe('transient');
    expect(classifyFailure(new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })]))).toBe('transient');
    expect(classifyFailure(new Error('timeout exceeded when trying to connect'))).toBe('transient');
    expect(classifyFailure(new Error('Connection terminated unexpectedly'))).toBe('transient');
    expect(classifyFailure({ code: 'COMMIT_BACKLOG_FULL' })).toBe('transient');
    expect(classifyFailure(new Error('wrapped', { cause: pgError('40P01') }))).toBe('transient');
  });

  it('leaves anything else unknown', () => {
    expect(classifyFailure(new Error('boom'))).toBe('unknown');
    expect(classifyFailure(pgError('42P01'))).toBe('unknown');
    expect(classifyFailure('text')).toBe('unknown');
  });
});
