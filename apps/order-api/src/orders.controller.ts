import { BadRequestException, Body, Controller, Get, Headers, HttpCode, NotFoundException, Param, Post } from '@nestjs/common';
import { OrderStatus, processOrder, type OrderState } from '@app/orders';
import { WorkflowQuery, WorkflowStarter, type WorkflowView } from '@strategos/nestjs';
import { randomUUID } from 'node:crypto';
import { PlaceOrderDto } from './place-order.dto';
import { WorkflowIdPipe } from './workflow-id.pipe';

/** Places orders (starts `process-order`) and shows where they are. */
@Controller('orders')
export class OrdersController {
  constructor(
    private readonly starter: WorkflowStarter,
    private readonly query: WorkflowQuery,
  ) {}

  /**
   * 202 with the workflow id; the workflow runs on the workers. 400 `INVALID_INITIAL_STATE` naming the field the store
   * cannot keep. The caller's W3C `traceparent` header, when valid, makes the run part of its trace (an invalid or
   * oversized one is dropped by the starter: the run gets a fresh trace).
   */
  @Post()
  @HttpCode(202)
  async place(@Body() body: PlaceOrderDto, @Headers('traceparent') traceparent?: string): Promise<{ workflowId: string }> {
    const { workflowId: requested, ...order } = body;
    const workflowId = requested ?? randomUUID();
    try {
      await this.starter.start(processOrder, { workflowId, order, status: OrderStatus.Pending }, { traceparent });
    } catch (error) {
      const { code, field } = error as { code?: unknown; field?: unknown };
      if (code !== 'INVALID_INITIAL_STATE') throw error;
      throw new BadRequestException({ statusCode: 400, error: 'Bad Request', code, field, message: (error as Error).message });
    }
    return { workflowId };
  }

  /** The workflow view of the order; 404 for an unknown id. */
  @Get(':id')
  async get(@Param('id', WorkflowIdPipe) id: string): Promise<WorkflowView<OrderState>> {
    const view = await this.query.get<OrderState>(id);
    if (!view) throw new NotFoundException(`No order workflow ${id}`);
    return view;
  }
}
