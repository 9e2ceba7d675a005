module.exports = {
  ...require('../jest.preset.js'),
  testTimeout: 600000,
  // The default dataset is seeded once per run; every seeded stack opens a copy (test/stack.ts).
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
};
