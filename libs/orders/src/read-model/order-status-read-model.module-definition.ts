import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { OrderStatusReadModelOptions } from './order-status-read-model-options.interface';

/** `forRoot` / `forRootAsync` of {@link OrderStatusReadModelModule}, from Nest's ConfigurableModuleBuilder. */
export const { ConfigurableModuleClass: ConfigurableOrderStatusReadModelModule, MODULE_OPTIONS_TOKEN: ORDER_STATUS_READ_MODEL_OPTIONS } =
  new ConfigurableModuleBuilder<OrderStatusReadModelOptions>().setClassMethodName('forRoot').build();
