import { Module } from '@nestjs/common';
import { OrderWorkflowModule, strategosOptionsFromEnv } from '@app/orders';
import { StrategosModule } from '@strategos/nestjs';

/** A step worker: executes the order steps (all, or those named in `STRATEGOS_STEPS`). */
@Module({
  imports: [StrategosModule.forRoot(strategosOptionsFromEnv()), OrderWorkflowModule],
})
export class OrderWorkerModule {}
