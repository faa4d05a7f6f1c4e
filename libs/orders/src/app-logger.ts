import type { LoggerService } from '@nestjs/common';
import { StrategosConsoleLogger } from '@strategos/nestjs';

/** The apps' logger: one line per event; JSON lines with `LOG_FORMAT=json`; debug lines with `LOG_LEVEL=debug`. */
export function appLogger(env: NodeJS.ProcessEnv = process.env): LoggerService {
  return StrategosConsoleLogger.fromEnv(env);
}
