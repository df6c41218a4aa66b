/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/spec'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/spec/bench/', '/spec/types/', '/spec/open-weight/'],
  // Type checking is done once by `npm run typecheck` (tsc over lib, spec and examples);
  // here ts-jest only transpiles, which keeps the suite fast.
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'spec/tsconfig.json' }] },
  moduleNameMapper: { '^fn-distil$': '<rootDir>/lib/index.ts', '^(\.{1,2}/.*)\.js$': '$1' },
  globalSetup: '<rootDir>/spec/helpers/global-setup.cjs',
  globalTeardown: '<rootDir>/spec/helpers/global-teardown.cjs',
  testTimeout: 60000,
  reporters: ['default', '<rootDir>/spec/helpers/summary-reporter.cjs'],
};
