import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalDatabase, type LocalDatabase } from './localDatabase.js';

/** The monorepo root, from apps/server/src/db (tsx) and apps/server/dist/db (built) alike. */
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

export const DEFAULT_DB_NAME = 'parley';

/**
 * The data folder. A relative DATA_DIR is taken from the repo root, never from the working
 * directory: `pnpm seed` runs with apps/server as its working directory and `pnpm start` with
 * the root, and both must find the same database and JWT secret.
 */
export function resolveDataDir(dataDir: string | undefined): string {
  return path.resolve(REPO_ROOT, dataDir ?? '.data');
}

/** Adds the database name `parley` to a URI that names none. */
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

export interface DatabaseSettings {
  /** MONGODB_URI, when set. */
  mongodbUri: string | undefined;
  /** DATA_DIR as configured (relative to the repo root, or absolute). */
  dataDir: string | undefined;
  log(line: string): void;
}

/**
 * The one place the server and the scripts pick their database: MONGODB_URI when set; else a
 * local database (mongod, FerretDB, mongodb-memory-server or a FerretDB build) with its data in
 * `<data dir>/db`. The caller decides whether a local database is allowed (production: no).
 */
export async function resolveDatabase({ mongodbUri, dataDir, log }: DatabaseSettings): Promise<ResolvedDatabase> {
  if (mongodbUri) return { uri: withDefaultDbName(mongodbUri), local: undefined };
  const local = await startLocalDatabase({ dataDir: path.join(resolveDataDir(dataDir), 'db'), log });
  log(`Local ${local.kind} is up at ${local.uri}`);
  return { uri: withDefaultDbName(local.uri), local };
}
