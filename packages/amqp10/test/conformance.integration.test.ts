import { describeTransportConformance } from '@tributary/testing/conformance';
import { amqp10ConformanceSetup } from './conformanceSetup';

describeTransportConformance('AMQP 1.0 (Artemis)', amqp10ConformanceSetup());
