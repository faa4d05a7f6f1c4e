import { Logger, type LoggerService, type LogLevel } from '@nestjs/common';
import { isLevelEnabled } from '../logging/log-level';

/**
 * The logger handed to a step: Nest's Logger with the workflow, instance, step and attempt on every line;
 * lines below `threshold` (forRoot `logLevel`) are dropped before they are built.
 */
export class StepLogger implements LoggerService {
  private readonly logger: Logger;

  constructor(
    context: string,
    private readonly fields: Readonly<Record<string, string | number>>,
    private readonly threshold: LogLevel = 'verbose',
  ) {
    this.logger = new Logger(context);
  }

  log(message: unknown, ...rest: unknown[]): void {
    if (isLevelEnabled('log', this.threshold)) this.logger.log(this.withFields(message), ...rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    if (isLevelEnabled('error', this.threshold)) this.logger.error(this.withFields(message), ...rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    if (isLevelEnabled('warn', this.threshold)) this.logger.warn(this.withFields(message), ...rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    if (isLevelEnabled('debug', this.threshold)) this.logger.debug(this.withFields(message), ...rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    if (isLevelEnabled('verbose', this.threshold)) this.logger.verbose(this.withFields(message), ...rest);
  }

  private withFields(message: unknown): Record<string, unknown> {
    return message !== null && typeof message === 'object' ? { ...this.fields, ...message } : { message, ...this.fields };
  }
}
