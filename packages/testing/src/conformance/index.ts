/**
 * `@tributary/testing/conformance`: the transport conformance suite and the TCP proxy for
 * fault tests, for transport authors.
 * @packageDocumentation
 */
export { describeTransportConformance } from './describeTransportConformance';
export type {
  TransportConformanceSetup,
  TransportCapabilities,
  ConformanceFault,
  DeadLetterRecord,
} from './TransportConformanceSetup';
export { createTcpProxy } from './createTcpProxy';
export type { TcpProxy, TcpProxyOptions } from './createTcpProxy';
export { runChaos, formatChaosTable, chaosFindings, DEFAULT_CHAOS_DELIVERY } from './runChaos';
export type { ChaosOptions, ChaosReport, ChaosDeadLetter } from './runChaos';
export { createTestCertificates } from './createTestCertificates';
export type { TestCertificates } from './createTestCertificates';
export { startTlsRedis } from './startTlsRedis';
export type { TlsRedis } from './startTlsRedis';
export { startTlsRabbitMq } from './startTlsRabbitMq';
export type { TlsRabbitMq } from './startTlsRabbitMq';
export { startTlsNats } from './startTlsNats';
export type { TlsNats } from './startTlsNats';
export { startTlsMosquitto } from './startTlsMosquitto';
export type { TlsMosquitto } from './startTlsMosquitto';
export type { TlsServerOptions } from './TlsServerOptions';
export { emitAndSend } from './emitAndSend';
export type { EmitAndSendResult } from './emitAndSend';
export { captureOutput, errorText, expectNoSecret } from './captureOutput';
export type { CapturedOutput } from './captureOutput';
