import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, type Env } from './config.js';
import { resolveDataDir } from './db/resolveDatabase.js';
import type { Logger } from './lib/logger.js';

/**
 * The JWT secret: JWT_SECRET when set. Production refuses to start without one; development
 * generates one once and keeps it in the git-ignored data folder, so sessions survive restarts.
 */
export function resolveJwtSecret(env: Env, logger: Logger): string {
  if (env.JWT_SECRET) return env.JWT_SECRET;
  if (env.NODE_ENV === 'production') {
    throw new ConfigError('JWT_SECRET is required in production (at least 32 bytes; e.g. `openssl rand -base64 48`)');
  }
  const file = path.join(resolveDataDir(env.DATA_DIR), 'jwt-secret');
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600 });
  }
  logger.warn({ file }, 'JWT_SECRET is not set: using a generated development secret');
  return readFileSync(file, 'utf8').trim();
}
