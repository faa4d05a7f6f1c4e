import { Module } from '@nestjs/common';
import { processOrder, strategosOptionsFromEnv } from '@app/orders';
import { StrategosModule } from '@strategos/nestjs';
import { OrdersController } from './orders.controller';

/** The HTTP API: starts and queries order workflows; executes no step (`steps: []`). */
@Module({
  imports: [StrategosModule.forRoot({ ...strategosOptionsFromEnv(), steps: [] }), StrategosModule.forFeature({ workflows: [processOrder] })],
  controllers: [OrdersController],
})
export class OrderApiModule {}
