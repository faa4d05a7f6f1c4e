import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import { isLogLevel, levelsFrom } from './log-level';

/** Options of {@link StrategosConsoleLogger}. */
export interface StrategosConsoleLoggerOptions {
  /** `text`: one readable line per event; `json`: one JSON object per line. @default 'text' */
  readonly format?: 'text' | 'json';
  /** The lowest level written. @default 'log' (debug and verbose lines are off) */
  readonly level?: LogLevel;
  /** Colours in text mode. @default false */
  readonly colors?: boolean;
}

const PLAIN_VALUE = /^[^\s"=]+$/;

/** `value` as it reads after `key=`: bare when it has no spaces or quotes, JSON otherwise. */
function fieldText(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return PLAIN_VALUE.test(value) ? value : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  if (value instanceof Error) return JSON.stringify(value.message);
  return JSON.stringify(value) ?? String(value);
}

/**
 * Nest's `ConsoleLogger` that writes every event on one line: in text mode a structured message
 * (`{ message, ...fields }`, as Strategos logs) reads `Step finished workflowId=… step=ProcessPayment durationMs=12`
 * instead of a multi-line `Object(3) {…}`; in JSON mode one JSON object per line.
 *
 * @example
 * const app = await NestFactory.create(AppModule, { logger: StrategosConsoleLogger.fromEnv() });
 * // LOG_FORMAT=json for JSON lines, LOG_LEVEL=debug for the debug lines
 */
export class StrategosConsoleLogger extends ConsoleLogger {
  constructor(options: StrategosConsoleLoggerOptions = {}) {
    const json = options.format === 'json';
    super({ json, colors: !json && (options.colors ?? false), logLevels: levelsFrom(options.level ?? 'log'), compact: true });
  }

  /**
   * From the environment: `LOG_FORMAT` (`text` or `json`), `LOG_LEVEL` (`verbose`, `debug`, `log`, `warn`,
   * `error`, `fatal`; default `log`), colours unless `NO_COLOR` is set or the output is not a terminal.
   */
  static fromEnv(env: NodeJS.ProcessEnv = process.env): StrategosConsoleLogger {
    const level = env.LOG_LEVEL?.trim().toLowerCase();
    return new StrategosConsoleLogger({
      format: env.LOG_FORMAT === 'json' ? 'json' : 'text',
      level: isLogLevel(level) ? level : 'log',
      colors: !env.NO_COLOR && process.stdout.isTTY === true,
    });
  }

  /** JSON mode: a structured message's fields sit beside `message` at the top level (framework fields win). */
  protected override getJsonLogObject(
    message: unknown,
    options: Parameters<ConsoleLogger['getJsonLogObject']>[1],
  ): ReturnType<ConsoleLogger['getJsonLogObject']> {
    if (message === null || typeof message !== 'object' || Array.isArray(message) || message instanceof Error) {
      return super.getJsonLogObject(message, options);
    }
    const { message: text, ...fields } = message as Record<string, unknown>;
    const logObject = super.getJsonLogObject(text, options);
    for (const [key, value] of Object.entries(fields)) if (!(key in logObject)) logObject[key] = value;
    return logObject;
  }

  protected override stringifyMessage(message: unknown, logLevel: LogLevel): string {
    const resolved = this.resolveMessage(message);
    if (resolved === null || typeof resolved !== 'object' || Array.isArray(resolved) || resolved instanceof Error) {
      return super.stringifyMessage(resolved, logLevel);
    }
    const { message: text, ...fields } = resolved as Record<string, unknown>;
    const parts = typeof text === 'string' ? [text] : text === undefined ? [] : [fieldText(text)];
    for (const [key, value] of Object.entries(fields)) parts.push(`${key}=${fieldText(value)}`);
    return this.colorize(parts.join(' '), logLevel);
  }
}
