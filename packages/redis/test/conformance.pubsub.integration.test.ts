import { describeTransportConformance } from '@tributary/testing/conformance';
import { redisConformanceSetup } from './conformanceSetup';

const { setup, close } = redisConformanceSetup('pubsub');

describeTransportConformance('Redis pub/sub', {
  ...setup,
  // pub/sub is at-most-once, as in Marble.js (mode: 'streams' is the durable mode)
  capabilities: { persistence: false, competingConsumers: false },
  reasons: {
    persistence: 'pub/sub is at-most-once: a message published while no instance listens is gone',
    competingConsumers: 'pub/sub: every running instance of a service receives every message',
  },
});

afterAll(close);
