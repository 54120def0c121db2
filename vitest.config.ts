import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The Temporal core bridge and PGlite's WASM both misbehave under worker threads.
    pool: 'forks',
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/setup.ts'],
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
