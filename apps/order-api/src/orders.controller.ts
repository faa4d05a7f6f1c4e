import {
  BadRequestException,
  Body,
  ConflictException,
  Controller,
  Get,
  Headers,
  HttpCode,
  NotFoundException,
  Param,
  Post,
} from '@nestjs/common';
import { OrderStatus, processOrder, type OrderState } from '@app/orders';
import { WorkflowControl, WorkflowQuery, WorkflowStarter, type SignalResult, type WorkflowView } from '@strategos/nestjs';
import { randomUUID } from 'node:crypto';
import { PlaceOrderDto } from './place-order.dto';
import { ApprovalDecisionDto } from './approval-decision.dto';
import { WorkflowIdPipe } from './workflow-id.pipe';

/** Places orders (starts `process-order`) and shows where they are. */
@Controller('orders')
export class OrdersController {
  constructor(
    private readonly starter: WorkflowStarter,
    private readonly query: WorkflowQuery,
    private readonly control: WorkflowControl,
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

  /**
   * A manager approves an order waiting for approval (over the limit): 202 with what became of the decision
   * (`applied`, or `stored` when the order has not reached the approval yet, `duplicate` for a repeat);
   * 404 for an unknown id, 409 when the order no longer waits for a decision.
   */
  @Post(':id/approve')
  @HttpCode(202)
  approve(@Param('id', WorkflowIdPipe) id: string, @Body() body: ApprovalDecisionDto): Promise<SignalResult> {
    return this.decide(() => this.control.approve(id, 'manager-approval', body));
  }

  /** A manager rejects the order: it fails before anything is charged. Answers as `approve`. */
  @Post(':id/reject')
  @HttpCode(202)
  reject(@Param('id', WorkflowIdPipe) id: string, @Body() body: ApprovalDecisionDto): Promise<SignalResult> {
    return this.decide(() => this.control.reject(id, 'manager-approval', body));
  }

  private async decide(send: () => Promise<SignalResult>): Promise<SignalResult> {
    try {
      return await send();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === 'WORKFLOW_NOT_FOUND') throw new NotFoundException((error as Error).message);
      if (code === 'SIGNAL_NOT_ACCEPTED') throw new ConflictException({ code, message: (error as Error).message });
      throw error;
    }
  }

  /** The workflow view of the order; 404 for an unknown id. */
  @Get(':id')
  async get(@Param('id', WorkflowIdPipe) id: string): Promise<WorkflowView<OrderState>> {
    const view = await this.query.get<OrderState>(id);
    if (!view) throw new NotFoundException(`No order workflow ${id}`);
    return view;
  }
}
