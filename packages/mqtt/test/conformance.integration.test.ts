import { describeTransportConformance } from '@tributary/testing/conformance';
import { mqttConformanceSetup } from './conformanceSetup';

describeTransportConformance('MQTT', mqttConformanceSetup());
