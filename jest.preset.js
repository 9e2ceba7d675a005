// Shared jest settings for every workspace: TypeScript via ts-jest (transpile only; `npm run
// typecheck` does the type checking), tests in test/, Node environment.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: false }] },
  testTimeout: 60000,
};
