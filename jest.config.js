/** Unit tests run on the in-process transport or virtual time; integration tests talk to real brokers. */
const fs = require('node:fs');
const path = require('node:path');

// only the workspace packages that exist: a missing one must fail as `require` would
const packages = fs.readdirSync(path.join(__dirname, 'packages')).filter(name => fs.existsSync(path.join(__dirname, 'packages', name, 'src', 'index.ts')));
const names = packages.join('|');

const shared = {
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } } }] },
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    [`^@tributary/(${names})$`]: '<rootDir>/packages/$1/src/index.ts',
    // subpath entry points (`@tributary/messaging/transport`, `@tributary/testing/conformance`)
    [`^@tributary/(${names})/([a-z0-9-]+)$`]: '<rootDir>/packages/$1/src/$2/index.ts',
    '^create-tributary$': '<rootDir>/packages/create-tributary/src/index.ts',
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
