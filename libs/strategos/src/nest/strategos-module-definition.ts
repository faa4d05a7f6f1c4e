import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { StrategosModuleOptions } from './strategos-module-options.interface';

/** `forRoot` / `forRootAsync` come from Nest's ConfigurableModuleBuilder, as Nest users expect. */
export const {
  ConfigurableModuleClass: ConfigurableStrategosModule,
  MODULE_OPTIONS_TOKEN: STRATEGOS_OPTIONS_TOKEN,
  OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<StrategosModuleOptions>()
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();
