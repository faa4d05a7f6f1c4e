import { Module } from '@nestjs/common';
import { ConfigurableOrderStatusReadModelModule } from './order-status-read-model.module-definition';
import { OrderStatusEventsController } from './order-status-events.controller';
import { OrderStatusRepository } from './order-status.repository';

/**
 * The order status read model: a projection of the `process-order` events into `<schema>.order_status`.
 * Import it into an app that also connects a `StrategosEventsServer` (its `@EventPattern` handlers are in
 * {@link OrderStatusEventsController}); read it with {@link OrderStatusRepository}.
 *
 * @example
 * // module
 * imports: [OrderStatusReadModelModule.forRoot({ databaseUrl: process.env.DATABASE_URL, schema: 'orders' })]
 * // main.ts: a hybrid app
 * app.connectMicroservice({ strategy: new StrategosEventsServer({ url, namespace, queue: orderStatusReadModelQueue(namespace) }) });
 * await app.init();
 * await app.startAllMicroservices();
 */
@Module({
  controllers: [OrderStatusEventsController],
  providers: [OrderStatusRepository],
  exports: [OrderStatusRepository],
})
export class OrderStatusReadModelModule extends ConfigurableOrderStatusReadModelModule {}
