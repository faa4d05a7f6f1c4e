import { Controller, Logger } from '@nestjs/common';
import { EventPattern, Payload, RpcException } from '@nestjs/microservices';
import { ORDER_STATUS_EVENT_PATTERNS } from './order-status-read-model.constants';
import { projectOrderStatus } from './order-status.projection';
import { OrderStatusRepository } from './order-status.repository';
import { parseWorkflowEvent } from './workflow-event-payload';

/**
 * Feeds the order status read model from the `process-order` events on the bus (served by a
 * `StrategosEventsServer` whose queue is bound to {@link ORDER_STATUS_EVENT_PATTERNS}). Idempotent and safe
 * against out-of-order delivery: the table keeps the state of the highest `sequence` applied.
 */
@Controller()
export class OrderStatusEventsController {
  private readonly logger = new Logger(OrderStatusEventsController.name);

  constructor(private readonly repository: OrderStatusRepository) {}

  /**
   * Applies one event to the read model.
   * @returns whether the row changed (false for a duplicate, an older event or a kind that moves nothing).
   * @throws RpcException for a payload that is not a workflow event: the server retries it once, then
   * dead-letters it with code `EVENT_HANDLER_FAILED`.
   */
  @EventPattern<string[]>([...ORDER_STATUS_EVENT_PATTERNS])
  async onWorkflowEvent(@Payload() payload: unknown): Promise<boolean> {
    const event = parseWorkflowEvent(payload);
    if (!event) throw new RpcException('The payload is not a Strategos workflow event');
    const record = projectOrderStatus(event);
    const applied = record !== null && (await this.repository.apply(record));
    this.logger.debug({
      message: applied ? 'Order status updated' : 'Order status unchanged',
      workflowId: event.workflowId,
      kind: event.kind,
      sequence: event.sequence,
    });
    return applied;
  }
}
