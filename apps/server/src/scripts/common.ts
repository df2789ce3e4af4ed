import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalDatabase, type LocalDatabase } from '../db/localDatabase.js';

/** Helpers shared by the developer scripts (`pnpm dev`, `pnpm seed`); never used by the server itself. */

/** The monorepo root (this file is apps/server/src/scripts/common.ts). */
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

export const DEFAULT_DB_NAME = 'parley';

/** Loads `<repo>/.env` into process.env when it exists; variables already set win. */
export function loadDotEnv(): string | undefined {
  const file = path.join(REPO_ROOT, '.env');
  if (!existsSync(file)) return undefined;
  process.loadEnvFile(file);
  return file;
}

/** The data folder: DATA_DIR when set (a relative one is taken from the repo root), else `<repo>/.data`. */
export function dataDir(): string {
  return path.resolve(REPO_ROOT, process.env.DATA_DIR ?? '.data');
}

/** Adds the database name `parley` to a URI that names none (the server does the same). */
export function withDefaultDbName(uri: string): string {
  const url = new URL(uri);
  if (url.pathname.length > 1) return uri;
  url.pathname = `/${DEFAULT_DB_NAME}`;
  return url.toString();
}

export interface ResolvedDatabase {
  /** A URI that names its database. */
  uri: string;
  /** Set when we started a local database ourselves: stop it when done. */
  local: LocalDatabase | undefined;
}

/**
 * MONGODB_URI when set; else the same local database the server would start (mongod, FerretDB,
 * mongodb-memory-server or a FerretDB build), with its data in `<data dir>/db`.
 */
export async function resolveDatabase(log: (line: string) => void): Promise<ResolvedDatabase> {
  const fromEnv = process.env.MONGODB_URI;
  if (fromEnv) return { uri: withDefaultDbName(fromEnv), local: undefined };
  const local = await startLocalDatabase({ dataDir: path.join(dataDir(), 'db'), log });
  log(`Local ${local.kind} is up at ${local.uri}`);
  return { uri: withDefaultDbName(local.uri), local };
}

/** Redacts the password of a URI for printing. */
export function redactUri(uri: string): string {
  try {
    const url = new URL(uri);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return uri;
  }
}
