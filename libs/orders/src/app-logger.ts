import { ConsoleLogger, type LoggerService } from '@nestjs/common';

/** The apps' logger: Nest's ConsoleLogger, one JSON object per line when `LOG_FORMAT=json`. */
export function appLogger(env: NodeJS.ProcessEnv = process.env): LoggerService {
  return new ConsoleLogger({ json: env.LOG_FORMAT === 'json', colors: env.LOG_FORMAT !== 'json' && !env.NO_COLOR });
}
