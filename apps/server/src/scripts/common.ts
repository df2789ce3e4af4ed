import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  REPO_ROOT,
  resolveDataDir,
  resolveDatabase as resolveSharedDatabase,
  type ResolvedDatabase,
} from '../db/resolveDatabase.js';

export { REPO_ROOT, type ResolvedDatabase };

/** Helpers shared by the developer scripts (`pnpm dev`, `pnpm seed`); never used by the server itself. */

/** Loads `<repo>/.env` into process.env when it exists; variables already set win. */
export function loadDotEnv(): string | undefined {
  const file = path.join(REPO_ROOT, '.env');
  if (!existsSync(file)) return undefined;
  process.loadEnvFile(file);
  return file;
}

/** The data folder (DATA_DIR, a relative one from the repo root, else `<repo>/.data`), as the server resolves it. */
export function dataDir(): string {
  return resolveDataDir(process.env.DATA_DIR);
}

/** MONGODB_URI when set, else the local database the server would start (see db/resolveDatabase.ts). */
export function resolveDatabase(log: (line: string) => void): Promise<ResolvedDatabase> {
  return resolveSharedDatabase({ mongodbUri: process.env.MONGODB_URI, dataDir: process.env.DATA_DIR, log });
}

export { redactUri } from '../lib/redactUri.js';
