import { Module } from '@nestjs/common';
import { ORDER_SERVICES } from '@app/orders';
import { StrategosModule } from '@strategos/nestjs';
import { BENCH_ORDER_STEPS, benchOrder } from './bench-order.workflow';

/** The bench worker's workflow ({@link benchOrder}, sequential), its steps and the order services they use. */
@Module({
  imports: [StrategosModule.forFeature({ workflows: [benchOrder] })],
  providers: [...ORDER_SERVICES, ...BENCH_ORDER_STEPS],
})
export class BenchOrderModule {}
