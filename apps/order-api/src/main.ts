import 'reflect-metadata';
import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { appLogger } from '@app/orders';
import { OrderApiModule } from './order-api.module';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(OrderApiModule, { logger: appLogger() });
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  app.enableShutdownHooks();
  const port = Number(process.env.PORT ?? 3000);
  await app.listen(port, '127.0.0.1');
  console.log(JSON.stringify({ event: 'listening', port }));
}

void bootstrap();
