/**
 * `@strategos/nestjs/health`: Strategos for `@nestjs/terminus` health checks (an optional peer dependency,
 * so it is not part of the main entry point).
 */
export { StrategosHealthIndicator } from './strategos-health.indicator';
export type { StrategosHealthReport, StalledPosition } from './strategos-health-report';
