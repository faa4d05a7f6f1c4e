import type { CustomStrategy } from '@nestjs/microservices';
import { orderStatusReadModelQueue, strategosOptionsFromEnv } from '@app/orders';
import { StrategosEventsServer } from '@strategos/nestjs';

/**
 * The microservice that feeds the order status read model in the API process: a `StrategosEventsServer` on the
 * read model's durable queue, bound to the events exchange of the app's namespace (same environment as Strategos).
 */
export function orderStatusEventsStrategy(env: NodeJS.ProcessEnv = process.env): CustomStrategy {
  const { rabbitmq, namespace = 'strategos' } = strategosOptionsFromEnv(env);
  const url = rabbitmq?.url ?? 'amqp://guest:guest@127.0.0.1:5672';
  return { strategy: new StrategosEventsServer({ url, namespace, queue: orderStatusReadModelQueue(namespace) }) };
}
