import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { appLogger } from '@app/orders';
import { OrderWorkerModule } from './order-worker.module';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.createApplicationContext(OrderWorkerModule, { logger: appLogger() });
  // SIGTERM: stop consuming, let in-flight steps finish (or release them), close.
  app.enableShutdownHooks();
  console.log(JSON.stringify({ event: 'worker-ready', pid: process.pid }));
}

void bootstrap();
