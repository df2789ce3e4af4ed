import { defineConfig } from 'vitest/config';

// One `pnpm test` runs every package's unit, component and socket-integration tests.
// Browser tests live in e2e/ with their own config (`pnpm test:e2e`).
export default defineConfig({
  test: {
    projects: ['packages/protocol', 'apps/server', 'apps/web'],
  },
});
