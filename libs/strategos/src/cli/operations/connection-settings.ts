import { SCHEMA_NAME_PATTERN } from '../../persistence/postgres/schema-name';
import { CliUsageError } from '../cli-usage.error';
import type { CommandArgs, CommandOptions } from '../parse-command-args';
import { flagOption, stringOption } from './option-values';

/** Where the operations subcommands find the store and the broker, as the applications configure them. */
export interface ConnectionSettings {
  /** `--database-url`, else `DATABASE_URL`. @default 'postgres://postgres@127.0.0.1:5432/test' */
  readonly databaseUrl: string;
  /** `--rabbitmq-url`, else `RABBITMQ_URL`. @default 'amqp://guest:guest@127.0.0.1:5672' */
  readonly rabbitmqUrl: string;
  /** `--schema`, else `STRATEGOS_SCHEMA`. @default 'strategos' */
  readonly schema: string;
  /** `--namespace`, else `STRATEGOS_NAMESPACE`. @default 'strategos' */
  readonly namespace: string;
  /** How long connecting to either server may take before the command fails, in ms. @default 5000 */
  readonly connectTimeoutMs: number;
}

/** The connection defaults of the example applications (libs/orders/src/strategos-connection.ts). */
export const CONNECTION_DEFAULTS = {
  databaseUrl: 'postgres://postgres@127.0.0.1:5432/test',
  rabbitmqUrl: 'amqp://guest:guest@127.0.0.1:5672',
  schema: 'strategos',
  namespace: 'strategos',
  connectTimeoutMs: 5_000,
} as const;

/** The options every operations subcommand takes: where to connect, and `--json` for one JSON document on stdout. */
export const OPERATION_OPTIONS = {
  'database-url': { type: 'string' },
  'rabbitmq-url': { type: 'string' },
  schema: { type: 'string' },
  namespace: { type: 'string' },
  json: { type: 'boolean' },
} as const satisfies CommandOptions;

/** The synopsis of {@link OPERATION_OPTIONS}, for usage lines. */
export const OPERATION_USAGE = '[--json] [--database-url URL] [--rabbitmq-url URL] [--schema NAME] [--namespace NAME]';

/**
 * The connection settings from the flags, else the environment variables the applications read, else
 * their defaults.
 * @throws CliUsageError for a schema name the store would refuse.
 */
export function connectionSettings(values: CommandArgs['values'], env: NodeJS.ProcessEnv = process.env): ConnectionSettings {
  const pick = (flag: string, variable: string, fallback: string): string => {
    const value = stringOption(values, flag) ?? env[variable];
    return value === undefined || value.length === 0 ? fallback : value;
  };
  const schema = pick('schema', 'STRATEGOS_SCHEMA', CONNECTION_DEFAULTS.schema);
  if (!SCHEMA_NAME_PATTERN.test(schema)) {
    throw new CliUsageError(
      `--schema (or STRATEGOS_SCHEMA) ${JSON.stringify(schema)} is not a schema name; use lower-case letters, digits and _, starting with a letter or _`,
    );
  }
  return {
    databaseUrl: pick('database-url', 'DATABASE_URL', CONNECTION_DEFAULTS.databaseUrl),
    rabbitmqUrl: pick('rabbitmq-url', 'RABBITMQ_URL', CONNECTION_DEFAULTS.rabbitmqUrl),
    schema,
    namespace: pick('namespace', 'STRATEGOS_NAMESPACE', CONNECTION_DEFAULTS.namespace),
    connectTimeoutMs: CONNECTION_DEFAULTS.connectTimeoutMs,
  };
}

/** Whether `--json` was given. */
export function wantsJson(values: CommandArgs['values']): boolean {
  return flagOption(values, 'json');
}

/** The name of the published command line (`bin` of `@strategos/nestjs`); in this repository `npm run -s strategos --`. */
export const CLI_BIN = 'strategos-nestjs';

/**
 * The command that shows `workflowId` with these settings: `strategos-nestjs status <id>`, plus `--schema` and
 * `--namespace` when they are not the defaults (so that it finds the run from any shell).
 */
export function statusCommandLine(workflowId: string, settings: Pick<ConnectionSettings, 'schema' | 'namespace'>): string {
  return [
    `${CLI_BIN} status ${workflowId}`,
    ...(settings.schema !== CONNECTION_DEFAULTS.schema ? [`--schema ${settings.schema}`] : []),
    ...(settings.namespace !== CONNECTION_DEFAULTS.namespace ? [`--namespace ${settings.namespace}`] : []),
  ].join(' ');
}
