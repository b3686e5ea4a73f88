import { runDemo } from '../src/demo';
import { createWiring, TransportName } from '../src/wiring';

// RabbitMQ on 127.0.0.1:5672 and Redis on 127.0.0.1:6379 (npm run services)
describe.each<TransportName>(['amqp', 'redis'])('fib-rpc on %s', name => {
  it('gives the same replies and error replies as on the in-process bus', async () => {
    const queue = 'fib_rpc_integration';
    const [local, remote] = [await runDemo(createWiring('local'), false), await runDemo(createWiring(name, queue), false)];
    expect(remote).toEqual(local);
  });
});
