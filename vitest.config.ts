import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // The bundle npm start runs (dist/server.mjs) is built once, for the tests that start the server as a process.
    globalSetup: ['tests/support/npm-start.ts', 'tests/support/global-setup.ts'],
    // Every response a test receives is checked against the served OpenAPI document; a violation fails
    // the test (tests/support/response-contract.ts).
    setupFiles: ['tests/support/response-contract.setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
