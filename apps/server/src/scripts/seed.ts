import { pathToFileURL } from 'node:url';
import type { Connection } from 'mongoose';
import { connectDatabase } from '../db/connect.js';
import { hashPassword } from '../features/auth/passwords.js';
import { createUsersRepository } from '../features/users/users.repository.js';
import { loadDotEnv, redactUri, resolveDatabase } from './common.js';

/**
 * `pnpm seed`: creates the demo users if they are missing (idempotent: an existing user is left
 * exactly as it is, password included). `pnpm dev` calls seedDemoUsers() on every start.
 */
export const DEMO_PASSWORD = 'parley-demo';
export const DEMO_USERS = [
  { username: 'alice', displayName: 'Alice Liddell' },
  { username: 'bob', displayName: 'Bob Builder' },
] as const;

export interface SeedResult {
  created: string[];
  existing: string[];
}

function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}

export async function seedDemoUsers(db: Connection): Promise<SeedResult> {
  const users = createUsersRepository(db);
  const result: SeedResult = { created: [], existing: [] };
  for (const demo of DEMO_USERS) {
    if (await users.findByUsername(demo.username)) {
      result.existing.push(demo.username);
      continue;
    }
    try {
      await users.create({ ...demo, passwordHash: await hashPassword(DEMO_PASSWORD) });
      result.created.push(demo.username);
    } catch (error) {
      // Someone else created it between our look-up and our insert: that is the goal reached.
      if (!isDuplicateKey(error)) throw error;
      result.existing.push(demo.username);
    }
  }
  return result;
}

export function describeSeed(result: SeedResult): string {
  const parts = [];
  if (result.created.length) parts.push(`created ${result.created.join(', ')}`);
  if (result.existing.length) parts.push(`already there: ${result.existing.join(', ')}`);
  return `Demo users (password "${DEMO_PASSWORD}"): ${parts.join('; ')}`;
}

async function main(): Promise<void> {
  const envFile = loadDotEnv();
  if (envFile) console.log(`[seed] loaded ${envFile}`);
  const database = await resolveDatabase((line) => console.log(`[seed] ${line}`));
  try {
    console.log(`[seed] database ${redactUri(database.uri)}`);
    const db = await connectDatabase(database.uri, { timeoutMs: 5000 });
    try {
      console.log(`[seed] ${describeSeed(await seedDemoUsers(db))}`);
    } finally {
      await db.close();
    }
  } finally {
    await database.local?.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error('[seed] failed:', error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
