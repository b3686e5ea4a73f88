import { describeTransportConformance } from '@tributary/testing/conformance';
import { natsConformanceSetup } from './conformanceSetup';

describeTransportConformance('NATS JetStream', natsConformanceSetup());
