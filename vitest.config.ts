import { defineConfig } from 'vitest/config';

// Projects: pure unit tests; the DB suites, run once on SQLite and once on PostgreSQL;
// browser journeys in Debian's Chromium. scripts/test.mjs decides which run and reports totals.
const dbSuites = { include: ['server/**/*.test.ts'], exclude: ['server/**/*.unit.test.ts'] };
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'common/**/*.test.ts',
            'server/**/*.unit.test.ts',
            'web/**/*.unit.test.ts',
            'scripts/**/*.unit.test.ts',
          ],
        },
      },
      {
        test: {
          name: 'db-sqlite',
          ...dbSuites,
          env: { LINLI_TEST_DB: 'sqlite' },
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'db-postgres',
          ...dbSuites,
          env: { LINLI_TEST_DB: 'postgres' },
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.e2e.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
          // A poll waits on the page, not on a clock: on a loaded 2-core machine an antd animation or
          // a live update can take longer than the default 1 s.
          expect: { poll: { timeout: 15_000 } },
        },
      },
    ],
  },
});
