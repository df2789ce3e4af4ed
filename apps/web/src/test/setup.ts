import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

// findBy*/waitFor give up after 1 s by default: too tight on a busy shared machine.
configure({ asyncUtilTimeout: 4_000 });

afterEach(() => {
  cleanup();
  // Node-environment tests (architecture.test.ts) have no storage to clear.
  if (typeof localStorage !== 'undefined') localStorage.clear();
});
