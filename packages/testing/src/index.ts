// test bed
export { createMessagingTestBed, DEFAULT_MESSAGING_TEST_BED_OPTIONS } from './createMessagingTestBed';
export type { MessagingTestBed, MessagingTestBedConfig, MessagingTestBedOptions } from './createMessagingTestBed';

// marbles
export { assertEffect } from './assertEffect';
export type { AssertEffectOptions, MarbleSpec } from './assertEffect';
export { createTestScheduler } from './createTestScheduler';

// context
export { createTestContext } from './createTestContext';
