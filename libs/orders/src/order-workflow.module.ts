import { Module } from '@nestjs/common';
import { StrategosModule } from '@strategos/nestjs';
import { ORDER_SERVICES, ORDER_STEPS } from './order-steps';
import { processOrderContracts } from './process-order.contracts';
import { processOrder } from './process-order.workflow';

/** The order workflow, its steps and the services they use, ready to import next to `StrategosModule.forRoot`. */
@Module({
  imports: [StrategosModule.forFeature({ workflows: [processOrder], contracts: [processOrderContracts] })],
  providers: [...ORDER_SERVICES, ...ORDER_STEPS],
  exports: [...ORDER_SERVICES],
})
export class OrderWorkflowModule {}
