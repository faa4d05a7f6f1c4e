import { HealthController } from './health.controller';
import { Module } from '@nestjs/common';
import {
  OrderStatusReadModelModule,
  orderStatusReadModelOptionsFromEnv,
  processOrder,
  processOrderContracts,
  strategosOptionsFromEnv,
} from '@app/orders';
import { StrategosDashboardModule, StrategosModule } from '@strategos/nestjs';
import { OrderStatusController } from './order-status.controller';
import { OrdersController } from './orders.controller';

/**
 * The HTTP API: starts and queries order workflows; executes no step (`steps: []`). Also hosts the order
 * status read model, fed by the workflow events (main.ts connects its microservice), and the Strategos dashboard at
 * `/strategos/` (read only with `DASHBOARD_READ_ONLY=1`; a real deployment passes its auth guard as `guard`).
 */
@Module({
  imports: [
    StrategosModule.forRoot({ ...strategosOptionsFromEnv(), steps: [] }),
    StrategosModule.forFeature({ workflows: [processOrder], contracts: [processOrderContracts] }),
    OrderStatusReadModelModule.forRoot(orderStatusReadModelOptionsFromEnv()),
    StrategosDashboardModule.forRoot({ path: '/strategos', readOnly: process.env.DASHBOARD_READ_ONLY === '1' }),
  ],
  controllers: [OrdersController, OrderStatusController, HealthController],
})
export class OrderApiModule {}
