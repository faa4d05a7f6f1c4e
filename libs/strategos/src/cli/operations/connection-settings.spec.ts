import { CliUsageError } from '../cli-usage.error';
import { connectionSettings, statusCommandLine } from './connection-settings';

describe('connectionSettings', () => {
  it('takes the flags first, then the environment variables of the applications, then their defaults', () => {
    const env = {
      DATABASE_URL: 'postgres://env@db/x',
      RABBITMQ_URL: 'amqp://env@mq',
      STRATEGOS_SCHEMA: 'env_schema',
      STRATEGOS_NAMESPACE: 'env-ns',
    };
    expect(connectionSettings({ 'database-url': 'postgres://flag@db/y', namespace: 'flag-ns' }, env)).toEqual({
      databaseUrl: 'postgres://flag@db/y',
      rabbitmqUrl: 'amqp://env@mq',
      schema: 'env_schema',
      namespace: 'flag-ns',
      connectTimeoutMs: 5_000,
    });
    expect(connectionSettings({}, {})).toEqual({
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/test',
      rabbitmqUrl: 'amqp://guest:guest@127.0.0.1:5672',
      schema: 'strategos',
      namespace: 'strategos',
      connectTimeoutMs: 5_000,
    });
  });

  it('refuses a schema name the store would refuse, as a usage error', () => {
    expect(() => connectionSettings({ schema: 'Robert"; DROP' }, {})).toThrow(CliUsageError);
    expect(() => connectionSettings({}, { STRATEGOS_SCHEMA: '1abc' })).toThrow(/STRATEGOS_SCHEMA/);
  });
});

describe('statusCommandLine', () => {
  it('carries the --schema and --namespace a run needs, and leaves the defaults out', () => {
    expect(statusCommandLine('wf-1', { schema: 'strategos_demo', namespace: 'strategos-demo' })).toBe(
      'strategos-nestjs status wf-1 --schema strategos_demo --namespace strategos-demo',
    );
    expect(statusCommandLine('wf-1', { schema: 'strategos', namespace: 'strategos' })).toBe('strategos-nestjs status wf-1');
  });
});
