/** What every test project shares. */
const base = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j|mj)s$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  // Middy 6 and jose 6 ship ESM only; jest's module system cannot require it untransformed. Lambda bundles
  // (synthesized into slotfill-test-run-*/ or slotfill-bundles-*/) are loaded as Lambda loads them.
  transformIgnorePatterns: ['/node_modules/(?!(@middy|jose)/)', '/slotfill-test-run-', '/slotfill-bundles-'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
};

/** @type {import('jest').Config} */
module.exports = {
  // One DynamoDB Local and one run folder (with its one `cdk synth`) for both projects.
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60000,
  projects: [
    // Every test, with the local service on the TypeScript sources.
    { ...base, displayName: 'sources' },
    // The end-to-end suites again, with the local service on the bundles `cdk deploy` uploads.
    {
      ...base,
      displayName: 'bundles',
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
      setupFiles: ['<rootDir>/test/support/serve-bundles.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/bundles-timeout.ts'],
    },
  ],
};
