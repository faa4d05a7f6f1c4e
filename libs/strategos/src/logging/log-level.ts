import type { LogLevel } from '@nestjs/common';

/** Nest's log levels from the most to the least detailed. */
export const LOG_LEVEL_ORDER: readonly LogLevel[] = ['verbose', 'debug', 'log', 'warn', 'error', 'fatal'];

/** Whether a line of `level` is written when the lowest level written is `threshold`. */
export function isLevelEnabled(level: LogLevel, threshold: LogLevel): boolean {
  return LOG_LEVEL_ORDER.indexOf(level) >= LOG_LEVEL_ORDER.indexOf(threshold);
}

/** `threshold` and every level above it, as Nest's `logLevels` option wants them. */
export function levelsFrom(threshold: LogLevel): LogLevel[] {
  return LOG_LEVEL_ORDER.filter((level) => isLevelEnabled(level, threshold));
}

/** Whether `value` is one of Nest's log levels. */
export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && (LOG_LEVEL_ORDER as readonly string[]).includes(value);
}
