import { defineConfig } from 'vitest/config';

// Browser tests: real Chromium (Debian's, driven by playwright-core) against the production build
// served by the real server. `pnpm test:e2e` builds first; globalSetup starts the database and server.
export default defineConfig({
  // Lets globalSetup import the server's TypeScript (db/localDatabase.ts) and the protocol source.
  resolve: { conditions: ['@parley/source'] },
  ssr: { resolve: { conditions: ['@parley/source'] } },
  test: {
    name: 'e2e',
    root: new URL('..', import.meta.url).pathname,
    environment: 'node',
    include: ['e2e/**/*.e2e.ts'],
    globalSetup: ['e2e/support/globalSetup.ts'],
    // One server, one browser per file: files run one after another, tests inside a file too.
    fileParallelism: false,
    // Files share one worker and its loaded modules (playwright-core is slow to import): each file
    // still launches its own browser and registers its own users, so nothing else is shared.
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
  },
});
