import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { OrderStatusRepository } from '@app/orders';
import { WorkflowQuery } from '@strategos/nestjs';
import type { OrderStatusResponse } from './order-status.response';
import { WorkflowIdPipe } from './workflow-id.pipe';

/** Where an order stands, from the order status read model (fed by the workflow's events, so eventually consistent). */
@Controller('orders')
export class OrderStatusController {
  constructor(
    private readonly statuses: OrderStatusRepository,
    private readonly query: WorkflowQuery,
  ) {}

  /** The order's phase and status; 404 until the read model has an event of the run. */
  @Get(':id/status')
  async status(@Param('id', WorkflowIdPipe) id: string): Promise<OrderStatusResponse> {
    const record = await this.statuses.find(id);
    if (!record) throw new NotFoundException(`No status for order workflow ${id}`);
    const estimatedCompletionAt = (await this.query.get(id))?.estimatedCompletionAt;
    return {
      workflowId: record.workflowId,
      orderId: record.orderId,
      phase: record.phase,
      status: record.status,
      ...(estimatedCompletionAt ? { estimatedCompletionAt } : {}),
    };
  }
}
