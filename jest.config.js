// Two projects: fast pure specs beside the code, and integration/e2e tests that
// share one real PostgreSQL started by the global setup (each file gets its own database).
const transform = {
  '^.+\\.ts$': ['@swc/jest'],
  // string-width (CLI tables) and its dependencies ship ES modules only: compiled to CommonJS for Jest.
  '^.+\\.js$': ['@swc/jest', { module: { type: 'commonjs' } }],
};
const esmOnly = ['string-width', 'strip-ansi', 'ansi-regex', 'get-east-asian-width', 'emoji-regex'];
const transformIgnorePatterns = [`/node_modules/(?!(${esmOnly.join('|')})/)`];

/** @type {import('jest').Config} */
module.exports = {
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  maxWorkers: 2,
  // Project-level testTimeout is not applied by Jest 30; integration and e2e tests start servers.
  testTimeout: 60000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      transformIgnorePatterns,
      roots: ['<rootDir>/src', '<rootDir>/migrations'],
      testMatch: ['**/*.spec.ts'],
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      transform,
      transformIgnorePatterns,
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.test.ts'],
      testTimeout: 60000,
    },
  ],
};
