import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { StrategosRuntime, type StrategosHealthReport } from '@strategos/nestjs';

/**
 * Readiness: 200 while Strategos is started, connected to the broker and the database answers, 503 otherwise;
 * the body lists stalled runs too (steps whose queues have had no consumer for longer than `stalledAfterMs`).
 * An app that uses `@nestjs/terminus` plugs in `StrategosHealthIndicator` from `@strategos/nestjs/health` instead.
 */
@Controller('health')
export class HealthController {
  constructor(private readonly strategos: StrategosRuntime) {}

  @Get()
  async check(): Promise<StrategosHealthReport> {
    const health = await this.strategos.checkHealth();
    if (health.status !== 'ok') throw new ServiceUnavailableException(health);
    return health;
  }
}
