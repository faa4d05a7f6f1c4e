import { ConsoleLogger, type LogLevel } from '@nestjs/common';

/** Nest's console logger, but every level on stderr: the bench's stdout carries only the result JSON. */
export class StderrLogger extends ConsoleLogger {
  protected override printMessages(
    messages: unknown[],
    context?: string,
    logLevel?: LogLevel,
    _stream?: 'stdout' | 'stderr',
    errorStack?: unknown,
  ): void {
    super.printMessages(messages, context, logLevel, 'stderr', errorStack);
  }
}
