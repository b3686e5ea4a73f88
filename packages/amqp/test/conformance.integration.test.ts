import { describeTransportConformance } from '@tributary/testing/conformance';
import { amqpConformanceSetup } from './conformanceSetup';

describeTransportConformance('AMQP', amqpConformanceSetup());
