import { Injectable, Logger } from '@nestjs/common';

/** A message sent to a customer. */
export interface Notification {
  readonly customerId: string;
  readonly orderId: string;
  readonly kind: 'confirmation' | 'failure';
  readonly text: string;
}

/** Notifies customers. The in-process implementation logs and keeps what it sent. */
@Injectable()
export class NotificationService {
  private readonly logger = new Logger(NotificationService.name);
  readonly sent: Notification[] = [];

  async send(notification: Notification): Promise<void> {
    this.sent.push(notification);
    this.logger.log({ message: 'Notification sent', orderId: notification.orderId, kind: notification.kind });
  }
}
