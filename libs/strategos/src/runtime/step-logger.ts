import { Logger, type LoggerService } from '@nestjs/common';

/** The logger handed to a step: Nest's Logger with the workflow, instance, step and attempt on every line. */
export class StepLogger implements LoggerService {
  private readonly logger: Logger;

  constructor(
    context: string,
    private readonly fields: Readonly<Record<string, string | number>>,
  ) {
    this.logger = new Logger(context);
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.logger.log(this.withFields(message), ...rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.logger.error(this.withFields(message), ...rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.logger.warn(this.withFields(message), ...rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.logger.debug(this.withFields(message), ...rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.logger.verbose(this.withFields(message), ...rest);
  }

  private withFields(message: unknown): Record<string, unknown> {
    return message !== null && typeof message === 'object' ? { ...this.fields, ...message } : { message, ...this.fields };
  }
}
