// `npm run test:open-weight`: the tests against the real parts that .ci/open-weight-setup.sh
// installs (llama-server, TRL). `npm test` leaves them out (jest.config.js testPathIgnorePatterns).
import base from './jest.config.js';

/** @type {import('jest').Config} */
export default {
  testEnvironment: base.testEnvironment,
  transform: base.transform,
  moduleNameMapper: base.moduleNameMapper,
  roots: ['<rootDir>/spec/open-weight'],
  testMatch: ['**/*.test.ts'],
  globalSetup: '<rootDir>/spec/open-weight/global-setup.ts',
  testTimeout: 60000,
  // One file at a time: training and the server share 2 cores.
  maxWorkers: 1,
};
