/** Unit tests run on the in-process transport or virtual time; integration tests talk to real brokers. */
const shared = {
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } } }] },
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    '^@tributary/(core|messaging|amqp|redis|websockets|testing)$': '<rootDir>/packages/$1/src/index.ts',
  },
  testEnvironment: 'node',
  setupFiles: ['<rootDir>/scripts/jest.setup.js'],
};

module.exports = {
  testTimeout: 30000,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/{packages,examples}/*/test/**/*.test.ts', '<rootDir>/docs/**/*.test.ts'],
      testPathIgnorePatterns: ['\\.integration\\.test\\.ts$', '/node_modules/'],
    },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/{packages,examples}/*/test/**/*.integration.test.ts'],
    },
  ],
};
