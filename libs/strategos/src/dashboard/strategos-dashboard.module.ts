import { Module, type DynamicModule } from '@nestjs/common';
import { createDashboardControllers } from './dashboard-controllers';
import { CsrfGuard, ReadOnlyGuard } from './dashboard-guards';
import { DASHBOARD_SETTINGS } from './dashboard.constants';
import { resolveDashboardSettings } from './dashboard-settings';
import { StrategosDashboardService } from './strategos-dashboard.service';
import type { StrategosDashboardOptions } from './strategos-dashboard-options.interface';

/**
 * The Strategos web dashboard, served by the application itself: runs (filters, paging, live), a run's
 * state, history, diagram and trace id, dead letters, per-workflow stats, and the actions cancel, retry,
 * replay and discard. Import it beside `StrategosModule.forRoot` (it reads the same store and bus); it
 * executes no step, so an API-only process can host it.
 *
 * @throws StrategosDashboardConfigError `INVALID_DASHBOARD_OPTIONS` for a bad option, or without `postgres`.
 * @example
 * imports: [
 *   StrategosModule.forRoot({ rabbitmq: { url }, postgres: { url }, steps: [] }),
 *   StrategosModule.forFeature({ workflows: [processOrder] }),
 *   StrategosDashboardModule.forRoot({ path: '/strategos', guard: AdminGuard }),
 * ]
 */
@Module({})
export class StrategosDashboardModule {
  static forRoot(options: StrategosDashboardOptions = {}): DynamicModule {
    const settings = resolveDashboardSettings(options);
    return {
      module: StrategosDashboardModule,
      controllers: createDashboardControllers(settings),
      providers: [
        { provide: DASHBOARD_SETTINGS, useValue: settings },
        StrategosDashboardService,
        ReadOnlyGuard,
        CsrfGuard,
        ...(typeof settings.guard === 'function' ? [settings.guard] : []),
      ],
    };
  }
}
