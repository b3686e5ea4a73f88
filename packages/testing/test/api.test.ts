import * as testing from '@tributary/testing';

describe('public API of @tributary/testing', () => {
  it('exports its helpers', () => {
    for (const name of ['createMessagingTestBed', 'assertEffect', 'createTestScheduler', 'createTestContext'] as const) {
      expect(typeof testing[name]).toBe('function');
    }
    expect(testing.DEFAULT_MESSAGING_TEST_BED_OPTIONS).toMatchObject({ channel: 'event_bus', timeout: 4000, subscribe: ['#'] });
  });

  it('exports nothing else', () => {
    expect(Object.keys(testing).sort()).toEqual(
      ['DEFAULT_MESSAGING_TEST_BED_OPTIONS', 'assertEffect', 'createMessagingTestBed', 'createTestContext', 'createTestScheduler'].sort(),
    );
  });
});

describe('public API of @tributary/testing/conformance', () => {
  it('exports the suite, the proxy, the chaos run, the TLS helpers and the secret checks, and nothing else', async () => {
    const conformance = await import('@tributary/testing/conformance');
    expect(Object.keys(conformance).sort()).toEqual([
      'DEFAULT_CHAOS_DELIVERY',
      'captureOutput',
      'chaosFindings',
      'createTcpProxy',
      'createTestCertificates',
      'describeTransportConformance',
      'emitAndSend',
      'errorText',
      'expectNoSecret',
      'formatChaosTable',
      'runChaos',
      'startTlsMosquitto',
      'startTlsNats',
      'startTlsRabbitMq',
      'startTlsRedis',
    ]);
  });
});
