import { describeTransportConformance } from '@tributary/testing/conformance';
import { redisConformanceSetup } from './conformanceSetup';

const { setup, close } = redisConformanceSetup('streams');

describeTransportConformance('Redis streams', setup);

afterAll(close);
