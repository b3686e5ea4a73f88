import { traceOneOrder } from '../src/app';

describe('traced-orders', () => {
  it('prints one trace tree of the order across orders, payments and shipping', async () => {
    const lines = await traceOneOrder();
    // names and nesting only (durations vary)
    const shape = lines.map(line => line.replace(/ \d+\.\d ms.*$/, ''));
    expect(shape).toEqual([
      'send orders [producer, local]',
      '  process orders [consumer, local]',
      '    validate order [internal]',
      '    publish OrderPlaced [producer, local]',
      '      process payments [consumer, local]',
      '        charge card [internal]',
      '        send shipping [producer, local]',
      '          process shipping [consumer, local]',
      '            book courier [internal]',
      '            ack shipping [client, local]',
      '        ack payments [client, local]',
      '    ack orders [client, local]',
    ]);
  });
});
