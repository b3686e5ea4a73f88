/**
 * The transports Tributary knows. The numbers are Marble.js v4's, so code comparing them
 * keeps working. `LOCAL` ships with `@tributary/messaging`; the others are packages found at
 * run time (`AMQP` → `@tributary/amqp`, `REDIS` → `@tributary/redis`).
 *
 * @example
 * ```ts
 * import { Transport } from '@tributary/messaging';
 * const transport = process.env.AMQP_URL ? Transport.AMQP : Transport.LOCAL;
 * ```
 * @since 0.1.0
 * @category transport
 */
export enum Transport {
  TCP = 0,
  NATS = 1,
  AMQP = 2,
  REDIS = 3,
  MQTT = 4,
  GRPC = 5,
  LOCAL = 6,
  KAFKA = 7,
  SQS = 8,
  AMQP10 = 9,
}

/** Which package provides each transport. */
export const TRANSPORT_PACKAGES: Partial<Record<Transport, string>> = {
  // the in-process transport ships with messaging, and is found the same way
  [Transport.LOCAL]: '@tributary/messaging/local',
  [Transport.AMQP]: '@tributary/amqp',
  [Transport.REDIS]: '@tributary/redis',
  [Transport.NATS]: '@tributary/nats',
  [Transport.MQTT]: '@tributary/mqtt',
  [Transport.KAFKA]: '@tributary/kafka',
  [Transport.SQS]: '@tributary/sqs',
  [Transport.AMQP10]: '@tributary/amqp10',
};
