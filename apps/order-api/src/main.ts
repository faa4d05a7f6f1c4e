import 'reflect-metadata';
import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { appLogger } from '@app/orders';
import { refuseDeepJson } from './json-depth';
import { OrderApiModule } from './order-api.module';
import { orderStatusEventsStrategy } from './order-status-events.strategy';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(OrderApiModule, { logger: appLogger(), bodyParser: false });
  // The default JSON parser (100 KB), plus a depth limit checked before parsing.
  app.useBodyParser('json', { verify: refuseDeepJson });
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  // A hybrid app: the order status read model consumes the workflow events in this process.
  app.connectMicroservice(orderStatusEventsStrategy());
  app.enableShutdownHooks();
  // init first, so that the read model's table exists before its queue is consumed.
  await app.init();
  await app.startAllMicroservices();
  const port = Number(process.env.PORT ?? 3000);
  await app.listen(port, '127.0.0.1');
  console.log(JSON.stringify({ event: 'listening', port }));
}

void bootstrap();
