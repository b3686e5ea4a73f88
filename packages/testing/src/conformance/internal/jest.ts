/// <reference types="jest" preserve="true" />
/**
 * The jest globals the suite registers its cases with. They exist only inside a jest test
 * file; anywhere else the suite says so instead of failing on an undefined global.
 */
export interface JestApi {
  describe: jest.Describe;
  it: jest.It;
  expect: jest.Expect;
  beforeAll: jest.Lifecycle;
  afterEach: jest.Lifecycle;
  afterAll: jest.Lifecycle;
}

export const jestApi = (): JestApi => {
  const g = globalThis as unknown as Partial<JestApi>;
  if (typeof g.describe !== 'function' || typeof g.it !== 'function' || typeof g.expect !== 'function') {
    throw new Error(
      'describeTransportConformance must be called at the top level of a jest test file (it registers describe/it blocks). ' +
        'Call it from e.g. test/conformance.integration.test.ts, not from application code.',
    );
  }
  return g as JestApi;
};
