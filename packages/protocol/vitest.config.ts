import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@parley/source'] },
  test: { name: 'protocol', environment: 'node', include: ['src/**/*.test.ts'] },
});
