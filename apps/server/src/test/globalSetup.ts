import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startLocalDatabase, type LocalDatabase } from '../db/localDatabase.js';

declare module 'vitest' {
  export interface ProvidedContext {
    mongoUri: string;
  }
}

/**
 * One real database for the whole run: MONGODB_URI when set, else the same local provider that
 * `pnpm dev` uses, in a throw-away folder. Each test file then works in a database of its own.
 */
export default async function setup(project: TestProject) {
  let database: LocalDatabase | undefined;
  let dataDir: string | undefined;
  let uri = process.env.MONGODB_URI;
  if (!uri) {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'parley-test-db-'));
    database = await startLocalDatabase({ dataDir, log: (line) => console.log(`[test db] ${line}`) });
    uri = database.uri;
  }
  project.provide('mongoUri', uri);
  return async () => {
    await database?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
}
