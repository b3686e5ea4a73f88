/**
 * NestJS 12 microservices (`@nestjs/microservices`): a controller with `@EventPattern` and
 * `@MessagePattern`, served by `NestFactory.createMicroservice`, called through a `ClientProxy`.
 * The decorators are applied by hand (no `experimentalDecorators` in the strict tsconfig).
 */
import type * as NestCommon from '@nestjs/common' with { 'resolution-mode': 'import' };
import type * as NestCore from '@nestjs/core' with { 'resolution-mode': 'import' };
import type * as NestMicroservices from '@nestjs/microservices' with { 'resolution-mode': 'import' };
import type { ClientOptions, MicroserviceOptions, RmqContext } from '@nestjs/microservices' with { 'resolution-mode': 'import' };
import { lastValueFrom, timeout } from 'rxjs';
import { BenchEvent, BenchSystem, Counter } from '../harness/drive';
import { SEND_TIMEOUT } from './effects';

/**
 * NestJS 12 is ESM only; Node ≥ 20.19 loads it with require() (this package is CommonJS).
 * Loaded on first use, so that the other systems' processes (and profiles) do not load it.
 */
const nest = () => {
  /* eslint-disable @typescript-eslint/no-require-imports */
  require('reflect-metadata');
  const { Controller, Module } = require('@nestjs/common') as typeof NestCommon;
  const { NestFactory } = require('@nestjs/core') as typeof NestCore;
  const { ClientProxyFactory, Ctx, EventPattern, MessagePattern, Payload, Transport } = require('@nestjs/microservices') as typeof NestMicroservices;
  /* eslint-enable @typescript-eslint/no-require-imports */
  return { Controller, Module, NestFactory, ClientProxyFactory, Ctx, EventPattern, MessagePattern, Payload, Transport };
};

type Decorator = (target: object, key: string, descriptor: PropertyDescriptor) => void;

/** `@Decorator() method` without the decorator syntax. */
const decorate = (cls: { prototype: object }, key: string, ...decorators: Decorator[]): void => {
  const descriptor = Object.getOwnPropertyDescriptor(cls.prototype, key)!;
  for (const d of decorators) d(cls.prototype, key, descriptor);
};
/** `@Payload() @Ctx()` on the first two parameters. */
const params = (cls: { prototype: object }, key: string): void => {
  const { Payload, Ctx } = nest();
  Payload()(cls.prototype, key, 0);
  Ctx()(cls.prototype, key, 1);
  Reflect.defineMetadata('design:paramtypes', [Object, Object], cls.prototype, key);
};

/**
 * The benchmark's service as a Nest controller: count `OrderPlaced`, answer `Ping` with
 * `Pong`. On RMQ with `noAck: false`, the handler acknowledges after its work (Nest's
 * documented manual acknowledgement), as Tributary does.
 */
const benchModule = (counter: Counter, manualAck: boolean, prefix: string) => {
  const { Controller, EventPattern, MessagePattern, Module } = nest();
  const ack = (context: RmqContext | undefined) => {
    if (manualAck && context) context.getChannelRef().ack(context.getMessage());
  };
  class BenchController {
    placed(_event: BenchEvent, context?: RmqContext): void {
      counter.hit();
      ack(context);
    }
    ping(event: BenchEvent, context?: RmqContext): BenchEvent {
      ack(context);
      return { type: 'Pong', payload: event.payload };
    }
  }
  decorate(BenchController, 'placed', EventPattern(`${prefix}OrderPlaced`) as Decorator);
  decorate(BenchController, 'ping', MessagePattern(`${prefix}Ping`) as Decorator);
  params(BenchController, 'placed');
  params(BenchController, 'ping');
  Controller()(BenchController);
  class BenchModule {}
  Module({ controllers: [BenchController] })(BenchModule);
  return BenchModule;
};

/** A Nest microservice and a `ClientProxy` on one transport (the same options both sides). */
export const nestService = async (
  options: MicroserviceOptions,
  clientOptions: ClientOptions,
  manualAck: boolean,
  prefix: string,
  cleanup: () => Promise<void> = async () => undefined,
): Promise<BenchSystem> => {
  const { ClientProxyFactory, NestFactory } = nest();
  const counter = new Counter();
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(benchModule(counter, manualAck, prefix), { ...options, logger: false });
  await app.listen();
  const client = ClientProxyFactory.create(clientOptions);
  await client.connect();
  return {
    emit: { emit: event => lastValueFrom(client.emit(`${prefix}OrderPlaced`, event), { defaultValue: undefined }), processed: counter },
    send: { send: event => lastValueFrom(client.send<BenchEvent>(`${prefix}Ping`, event).pipe(timeout(SEND_TIMEOUT))) },
    close: async () => {
      await client.close();
      await app.close();
      await cleanup();
    },
  };
};

/** NestJS RMQ: durable queue, persistent messages, prefetch 32, manual acks after the handler. */
export const nestAmqp = (url: string, queue: string, cleanup: () => Promise<void>): Promise<BenchSystem> => {
  const { Transport } = nest();
  // TCP_NODELAY as every other AMQP system here (without it each call waits ~40 ms on delayed ACKs)
  const options = { urls: [url], queue, queueOptions: { durable: true }, prefetchCount: 32, persistent: true, socketOptions: { connectionOptions: { noDelay: true } } };
  // the client's `noAck` is that of its reply consumer (direct reply-to cannot be acknowledged)
  return nestService({ transport: Transport.RMQ, options: { ...options, noAck: false } }, { transport: Transport.RMQ, options: { ...options, noAck: true } }, true, '', cleanup);
};

/** NestJS Redis (pub/sub through ioredis); the patterns (= channels) carry the cell's tag. */
export const nestRedis = (url: string, tag: string): Promise<BenchSystem> => {
  const { Transport } = nest();
  const { hostname, port } = new URL(url);
  const options = { transport: Transport.REDIS, options: { host: hostname, port: Number(port || 6379) } } as const;
  return nestService(options, options, false, `${tag}.`);
};
