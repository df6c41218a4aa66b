import { availableParallelism } from 'node:os';

/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/spec'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/spec/bench/', '/spec/types/', '/spec/open-weight/'],
  // Type checking is done once by `npm run typecheck` (tsc over lib, spec and examples);
  // here ts-jest only transpiles, which keeps the suite fast.
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'spec/tsconfig.json' }] },
  moduleNameMapper: { '^fn-distil$': '<rootDir>/lib/index.ts', '^(\\.{1,2}/.*)\\.js$': '$1' },
  globalSetup: '<rootDir>/spec/helpers/global-setup.cjs',
  testTimeout: 60000,
  // Jest's default, one worker fewer than the cores, is a single worker on a 2-core machine, which
  // then idles while a test waits on a child process, a server or a slow disk: two at least.
  maxWorkers: Math.max(2, availableParallelism()),
  reporters: ['default', '<rootDir>/spec/helpers/summary-reporter.cjs'],
};
