import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { demoScenarios, OrderStatus, processOrder, type OrderState } from '@app/orders';
import { WorkflowQuery, WorkflowStarter } from '@strategos/nestjs';
import { randomUUID } from 'node:crypto';
import { OrderServiceModule } from './order-service.module';

/** The single-process demo: places the demo orders and prints how each one ends. */
async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(OrderServiceModule, { logger: ['error', 'warn'] });
  const starter = app.get(WorkflowStarter);
  const query = app.get(WorkflowQuery);
  const runs: { id: string; shows: string }[] = [];
  for (const { order, shows } of demoScenarios()) {
    const { workflowId } = await starter.start(processOrder, { workflowId: randomUUID(), order, status: OrderStatus.Pending });
    runs.push({ id: workflowId, shows });
  }
  for (const { id, shows } of runs) {
    const view = await query.waitFor<OrderState>(id, { timeoutMs: 10_000 });
    const phases = (await query.history(id)).filter((e) => e.kind === 'PhaseChanged').map((e) => e.data.to);
    console.log(
      `${view.state.order.orderId}  ${view.status.padEnd(9)}  ${phases.join(' -> ')}${view.error ? `  (${view.error.code} at ${view.error.step})` : ''}\n    shows ${shows}`,
    );
  }
  await app.close();
}

void main();
