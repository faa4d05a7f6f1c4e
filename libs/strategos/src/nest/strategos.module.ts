import { Module, type DynamicModule } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { WorkflowControl } from '../client/workflow-control';
import { WorkflowStarter } from '../client/workflow-starter';
import type { WorkflowContracts } from '../codegen/workflow-contracts.interface';
import type { WorkflowDefinition } from '../definition/workflow-definition';
import { DeadLetters } from '../dead-letters/dead-letters';
import { WorkflowQuery } from '../query/workflow-query';
import { ConfigurableStrategosModule } from './strategos-module-definition';
import { StrategosRuntime } from './strategos-runtime';
import { WorkflowFeature } from './workflow-feature';

/** Options of `StrategosModule.forFeature`. */
export interface StrategosFeatureOptions {
  readonly workflows: readonly WorkflowDefinition[];
  /** Generated contracts (`processOrderContracts` from `strategos generate`): received commands are validated with their classes too. */
  readonly contracts?: readonly WorkflowContracts[];
}

/**
 * The Strategos Nest module: `forRoot` (or `forRootAsync`) once, global; `forFeature` wherever workflows are defined.
 *
 * @example
 * imports: [
 *   StrategosModule.forRoot({ rabbitmq: { url }, postgres: { url } }),
 *   StrategosModule.forFeature({ workflows: [processOrder] }),
 * ]
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    StrategosRuntime,
    { provide: WorkflowStarter, useFactory: (rt: StrategosRuntime) => rt.starter, inject: [StrategosRuntime] },
    { provide: WorkflowControl, useFactory: (rt: StrategosRuntime) => rt.control, inject: [StrategosRuntime] },
    {
      provide: DeadLetters,
      useFactory: (rt: StrategosRuntime) => new DeadLetters(rt.deadLetterStore, rt.transport, () => rt.ready()),
      inject: [StrategosRuntime],
    },
    {
      provide: WorkflowQuery,
      useFactory: (rt: StrategosRuntime) => new WorkflowQuery(rt.store, rt.notifier, rt.registry, { stalled: rt.stallDetection() }),
      inject: [StrategosRuntime],
    },
  ],
  exports: [WorkflowStarter, WorkflowControl, WorkflowQuery, DeadLetters, StrategosRuntime],
})
export class StrategosModule extends ConfigurableStrategosModule {
  /** Registers workflow definitions with the application's Strategos runtime. */
  static forFeature(options: StrategosFeatureOptions): DynamicModule {
    // A token per registration, so that Nest never merges two forFeature modules.
    const token = `strategos:feature:${options.workflows.map((definition) => definition.name).join(',')}`;
    return {
      module: StrategosFeatureModule,
      providers: [{ provide: token, useValue: new WorkflowFeature(options.workflows, options.contracts) }],
    };
  }
}

/** Carries one `forFeature` registration. */
@Module({})
export class StrategosFeatureModule {}
