import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { StrategosRuntime, type StrategosHealth } from '@strategos/nestjs';

/** Readiness: 200 while Strategos is started and connected to the broker, 503 otherwise. */
@Controller('health')
export class HealthController {
  constructor(private readonly strategos: StrategosRuntime) {}

  @Get()
  check(): StrategosHealth {
    const health = this.strategos.health();
    if (health.status !== 'ok') throw new ServiceUnavailableException(health);
    return health;
  }
}
