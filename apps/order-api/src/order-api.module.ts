import { HealthController } from './health.controller';
import { Module } from '@nestjs/common';
import {
  OrderStatusReadModelModule,
  orderStatusReadModelOptionsFromEnv,
  processOrder,
  processOrderContracts,
  strategosOptionsFromEnv,
} from '@app/orders';
import { StrategosModule } from '@strategos/nestjs';
import { OrderStatusController } from './order-status.controller';
import { OrdersController } from './orders.controller';

/**
 * The HTTP API: starts and queries order workflows; executes no step (`steps: []`). Also hosts the order
 * status read model, fed by the workflow events (main.ts connects its microservice).
 */
@Module({
  imports: [
    StrategosModule.forRoot({ ...strategosOptionsFromEnv(), steps: [] }),
    StrategosModule.forFeature({ workflows: [processOrder], contracts: [processOrderContracts] }),
    OrderStatusReadModelModule.forRoot(orderStatusReadModelOptionsFromEnv()),
  ],
  controllers: [OrdersController, OrderStatusController, HealthController],
})
export class OrderApiModule {}
