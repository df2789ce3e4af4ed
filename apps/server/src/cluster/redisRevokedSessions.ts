import type { Redis } from 'ioredis';
import type { RevokedSessions } from '../features/auth/revokedSessions.js';

/**
 * The revocation list shared by every node (ADR 0013, ADR 0016): one key per ended session,
 * expiring by itself when the last access token that could carry it has expired, so it holds
 * only the sign-outs of the last quarter hour. A node that revokes also closes the session's
 * sockets on every node through the adapter (the session room).
 */
export class RedisRevokedSessions implements RevokedSessions {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix = 'parley:revoked:',
  ) {}

  async revoke(sessionId: string, until: Date): Promise<void> {
    const key = this.keyPrefix + sessionId;
    const at = until.getTime();
    // Created with its expiry, or its expiry moved later (never earlier) if it exists.
    await this.redis.multi().set(key, '1', 'PXAT', at, 'NX').pexpireat(key, at, 'GT').exec();
  }

  async isRevoked(sessionId: string): Promise<boolean> {
    return (await this.redis.exists(this.keyPrefix + sessionId)) === 1;
  }
}
