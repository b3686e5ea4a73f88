#!/usr/bin/env node
// The consumer process of a chaos run (runChaos in @tributary/testing/conformance), on the
// built packages. Usage: chaos-consumer.js <transport as JSON> <options as JSON> <correct|lossy>
// Prints "ready" once it consumes, "r <id>" when a Work event arrives, "a <id>" once the lossy consumer
// acknowledged it, and "p <id>" once it is processed; a Poison event
// always fails (it must end dead-lettered). The lossy consumer acknowledges before the work
// (manual ack first, the work 1 s later): a SIGKILL in between loses what it acknowledged.
const { act, matchEvent } = require('@tributary/core');
const { ackEvent, createMicroservice, messagingListener } = require('@tributary/messaging');

const transport = JSON.parse(process.argv[2]);
const options = JSON.parse(process.argv[3]);
const lossy = process.argv[4] === 'lossy';
const processed = id => process.stdout.write(`p ${id}\n`);

const work$ = (event$, ctx) =>
  event$.pipe(
    matchEvent('Work'),
    act(async event => {
      process.stdout.write(`r ${event.payload}\n`);
      if (!lossy) return processed(event.payload);
      await ackEvent(ctx)(event)();
      process.stdout.write(`a ${event.payload}\n`);
      await new Promise(resolve => setTimeout(resolve, 1000));
      processed(event.payload);
    }),
  );

const poison$ = event$ =>
  event$.pipe(
    matchEvent('Poison'),
    act(() => {
      throw new Error('poison: this event always fails');
    }),
  );

createMicroservice({
  transport,
  options: lossy ? { ...options, expectAck: true } : options,
  listener: messagingListener({ effects: [work$, poison$] }),
})
  .then(microservice => microservice())
  .then(connection => {
    process.stdout.write('ready\n');
    process.once('SIGTERM', () => connection.close({ drainTimeout: 1000 }).finally(() => process.exit(0)));
  })
  .catch(error => {
    process.stderr.write(`${error && error.stack}\n`);
    process.exit(1);
  });
