import { createTransportLayer, DEFAULT_MQTT_OPTIONS, mqttTopics } from '@tributary/mqtt';

describe('MQTT options', () => {
  test('defaults: local Mosquitto, QoS 1, durable, the shared delivery options', () => {
    const layer = createTransportLayer({ channel: 'orders' });
    expect(layer.config).toEqual(
      expect.objectContaining({ host: DEFAULT_MQTT_OPTIONS.host, channel: 'orders', wire: 'body', durable: true, expectAck: false, subscribe: [], concurrency: 32 }),
    );
    expect(layer.config.retry.maxAttempts).toBe(5);
    expect(createTransportLayer({ channel: 'orders', qos: 0 }).config.durable).toBe(false);
  });

  test('tls needs an mqtts:// or wss:// host (the URL decides TLS), and the error does not show the password', () => {
    expect(() => createTransportLayer({ channel: 'a', host: 'mqtt://user:secret@broker:1883', tls: { ca: 'x' } })).toThrow(/`tls` needs a TLS URL.*mqtt:\/\/user:\*\*\*@broker:1883.*mqtts:\/\//);
    expect(() => createTransportLayer({ channel: 'a', host: 'mqtt://user:secret@broker:1883', tls: { ca: 'x' } })).not.toThrow(/secret/);
    expect(() => createTransportLayer({ channel: 'a', host: 'mqtts://broker:8883', tls: { ca: 'x' } })).not.toThrow();
  });

  test('the password is masked in config.host', () => {
    expect(createTransportLayer({ channel: 'a', host: 'mqtt://user:secret@broker:1883' }).config.host).toBe('mqtt://user:***@broker:1883');
  });

  test.each([
    [{ channel: '' }, /channel/],
    [{ channel: 'a/b' }, /channel/],
    [{ channel: '$SYS' }, /channel/],
    [{ channel: 'a', host: 'http://x' }, /host/],
    [{ channel: 'a', qos: 2 as never }, /QoS 2/],
    [{ channel: 'a', sessionExpiry: -1 }, /sessionExpiry/],
    [{ channel: 'a', receiveMaximum: 0 }, /receiveMaximum/],
    [{ channel: 'a', subscribe: ['a.#.b'] }, /only as the last word/],
    [{ channel: 'a', timeout: 0 }, /timeout/],
  ])('refuses %j, saying why', (options, message) => {
    expect(() => createTransportLayer(options)).toThrow(message);
  });
});

describe('mqttTopics', () => {
  const topics = mqttTopics('payments');

  test('service topic, shared subscription and dead-letter topic', () => {
    expect(topics.service).toBe('payments');
    expect(topics.serviceFilter).toBe('$share/payments/payments');
    expect(topics.deadLetter).toBe('payments/dead-letter');
  });

  test('publish topics: dots become levels under event/', () => {
    expect(topics.event('OrderPlaced')).toBe('event/OrderPlaced');
    expect(topics.event('payment.card.declined')).toBe('event/payment/card/declined');
    expect(() => topics.event('a+b')).toThrow(/'\+' or '#'/);
  });

  test('subscribe patterns become shared MQTT filters', () => {
    expect(topics.filter('OrderPlaced')).toBe('$share/payments/event/OrderPlaced');
    expect(topics.filter('payment.*')).toBe('$share/payments/event/payment/+');
    expect(topics.filter('payment.#')).toBe('$share/payments/event/payment/#');
    expect(topics.filter('#')).toBe('$share/payments/event/#');
    expect(topics.filter('*.failed')).toBe('$share/payments/event/+/failed');
  });
});
