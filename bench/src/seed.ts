import { searchWordsOf } from '../../apps/server/src/features/users/searchWords.js';
import { randomBytes } from 'node:crypto';
import type { Connection } from 'mongoose';
import { hashPassword } from '../../apps/server/src/features/auth/passwords.js';
import { createAccessTokens } from '../../apps/server/src/features/auth/tokens.js';
import { userModel } from '../../apps/server/src/features/users/user.model.js';
import { benchConfig } from './benchConfig.js';
import { now, round } from './common.js';
import { log, type User } from './context.js';
import type { BenchResults } from './report.js';

/** Users up front: one argon2id hash for all, inserted directly; tokens minted with the server's code. */
export async function seedUsers(conn: Connection, count: number, secret: string, results: BenchResults): Promise<User[]> {
  const t0 = now();
  const passwordHash = await hashPassword('bench-password-not-secret');
  const hashMs = now() - t0;
  const Users = userModel(conn);
  const tag = randomBytes(3).toString('hex');
  const ids: string[] = [];
  for (let start = 0; start < count; start += 1000) {
    const docs = Array.from({ length: Math.min(1000, count - start) }, (_, j) => ({
      username: `b${tag}_${start + j}`,
      displayName: `Bench user ${start + j}`,
      // Written here: otherwise the server under test backfills them at start (10,000 users: minutes on FerretDB).
      nameWords: searchWordsOf(`Bench user ${start + j}`),
      passwordHash,
    }));
    const inserted = await Users.insertMany(docs);
    ids.push(...inserted.map((doc) => String(doc._id)));
  }
  const tokens = createAccessTokens(benchConfig(secret, 100).jwt);
  const users: User[] = [];
  // No session records: the user id doubles as a session id no one ever ends.
  for (const id of ids) users.push({ id, token: await tokens.sign(id, id) });
  log(`seeded ${count} users in ${round((now() - t0) / 1000, 1)} s (one argon2id hash: ${round(hashMs, 0)} ms; registering each over HTTP would cost that per user)`);
  results.notes.push(`users: ${count} inserted directly with one precomputed argon2id hash (${round(hashMs, 0)} ms per hash), tokens minted with the server's createAccessTokens`);
  return users;
}
