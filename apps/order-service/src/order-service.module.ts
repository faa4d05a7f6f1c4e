import { Module } from '@nestjs/common';
import { OrderWorkflowModule } from '@app/orders';
import { StrategosModule } from '@strategos/nestjs';

/** The whole order example in one process, on the in-memory transport and store. */
@Module({
  imports: [StrategosModule.forRoot({}), OrderWorkflowModule],
})
export class OrderServiceModule {}
