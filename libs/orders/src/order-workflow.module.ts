import { Module } from '@nestjs/common';
import { StrategosModule } from '@strategos/nestjs';
import { ORDER_SERVICES, ORDER_STEPS } from './order-steps';
import { processOrderContracts } from './process-order.contracts';
import { processOrder } from './process-order.workflow';
import { PROVIDER_LATENCY_MS, providerLatencyFromEnv } from './services/provider-latency';

/**
 * The order workflow, its steps and the services they use, ready to import next to `StrategosModule.forRoot`
 * (`ORDER_PROVIDER_LATENCY_MS` slows the in-process payment and inventory providers, see {@link PROVIDER_LATENCY_MS}).
 */
@Module({
  imports: [StrategosModule.forFeature({ workflows: [processOrder], contracts: [processOrderContracts] })],
  providers: [...ORDER_SERVICES, ...ORDER_STEPS, { provide: PROVIDER_LATENCY_MS, useFactory: () => providerLatencyFromEnv() }],
  exports: [...ORDER_SERVICES],
})
export class OrderWorkflowModule {}
