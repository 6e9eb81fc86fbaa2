import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'e2e/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['./test/global-setup.ts'],
    setupFiles: ['./test/per-file-setup.ts'],
    testTimeout: 240_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    // A worker process runs file after file without re-importing the app for each (docs/testing.md); what a file
    // changes in the process must not reach the next one: environment stubs are undone after every test, and
    // test/per-file-setup.ts empties the app's process-wide caches.
    isolate: false,
    unstubEnvs: true,
    reporters: ['default'],
    // The CLI suites assert the English texts of the commands: a developer's LANG=id_ID must not change them (the
    // suites of the Indonesian texts set ADUAN_LANG or LANG themselves, src/cli/help.test.ts, messages.test.ts).
    env: { ADUAN_LANG: 'en' },
  },
});
