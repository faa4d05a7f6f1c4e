import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { StrategosRuntime } from '../nest/strategos-runtime';

/**
 * A `@nestjs/terminus` health indicator for Strategos: `up` when started, connected to RabbitMQ and the
 * database answers; `degraded` when runs are stalled (a step's queue has had no consumer for longer than
 * `stalledAfterMs`); `down` otherwise. The details carry the broker, the database and the stalled steps.
 * Import it from `@strategos/nestjs/health` (`@nestjs/terminus` is an optional peer dependency).
 *
 * @example
 * @Module({ imports: [TerminusModule], controllers: [HealthController], providers: [StrategosHealthIndicator] })
 * // in the controller:
 * @Get('health') @HealthCheck()
 * check() { return this.health.check([() => this.strategos.isHealthy('strategos')]); }
 */
@Injectable()
export class StrategosHealthIndicator {
  constructor(
    private readonly runtime: StrategosRuntime,
    private readonly indicators: HealthIndicatorService,
  ) {}

  /** The indicator's result under `key`. @default key 'strategos' */
  async isHealthy<const Key extends string = 'strategos'>(key: Key = 'strategos' as Key): Promise<HealthIndicatorResult<Key>> {
    const session = this.indicators.check(key);
    const report = await this.runtime.checkHealth();
    const details = {
      transport: report.transport,
      database: report.database,
      ...(report.databaseError !== undefined ? { databaseError: report.databaseError } : {}),
      stalled: report.stalled,
    };
    if (report.status !== 'ok') return session.down(details);
    return report.stalled.length > 0 ? session.degraded(details) : session.up(details);
  }
}
