import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { APPROVAL_LIMIT, demoScenarios, OrderStatus, orderTotal, processOrder, runPath, type OrderState } from '@app/orders';
import { WorkflowControl, WorkflowQuery, WorkflowStarter } from '@strategos/nestjs';
import { randomUUID } from 'node:crypto';
import { OrderServiceModule } from './order-service.module';

/** The single-process demo: places the demo orders and prints each one's path (fork paths side by side) and end. */
async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(OrderServiceModule, { logger: ['error', 'warn'] });
  const starter = app.get(WorkflowStarter);
  const query = app.get(WorkflowQuery);
  const control = app.get(WorkflowControl);
  const runs: { id: string; shows: string }[] = [];
  for (const { order, shows } of demoScenarios()) {
    const { workflowId } = await starter.start(processOrder, { workflowId: randomUUID(), order, status: OrderStatus.Pending });
    // The demo plays the manager: an approval sent before the run reaches its wait is kept and applied there.
    if (orderTotal(order) > APPROVAL_LIMIT) await control.approve(workflowId, 'manager-approval', { by: 'demo-manager' });
    runs.push({ id: workflowId, shows });
  }
  for (const { id, shows } of runs) {
    const view = await query.waitFor<OrderState>(id, { timeoutMs: 10_000 });
    const path = runPath(await query.history(id));
    console.log(
      `${view.state.order.orderId}  ${view.status.padEnd(11)}  ${path}${view.error ? `  (${view.error.code} at ${view.error.step})` : ''}\n    shows ${shows}`,
    );
  }
  await app.close();
}

void main();
