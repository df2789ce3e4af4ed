import type { Store } from 'express-rate-limit';
import type { LoginThrottle } from '../features/auth/loginThrottle.js';
import type { RevokedSessions } from '../features/auth/revokedSessions.js';
import type { Logger } from '../lib/logger.js';
import type { Metrics } from '../lib/metrics.js';
import { redactUri } from '../lib/redactUri.js';
import type { AppServer } from '../socket/types.js';
import { redisLoginThrottle, redisRateLimitStore } from './redisLimiters.js';
import { connectRedis, type RedisLink } from './redisLink.js';
import { RedisRevokedSessions } from './redisRevokedSessions.js';
import { redisSocketAdapter, resyncAfterRedisLoss, type SocketAdapter } from './socketAdapter.js';

/**
 * What a node shares with the others when REDIS_URL is set (contract v2 "Running several
 * nodes"): Socket.IO fan-out through Redis, a `resync_required` to local sockets after the
 * link to Redis comes back, and the state nodes share (revoked sessions, sign-in limits). main.ts starts it before the app and closes it after.
 */
export interface Cluster {
  redis: RedisLink;
  socketAdapter: SocketAdapter;
  /** Ended sessions, refused by every node until their access tokens expire. */
  revokedSessions: RevokedSessions;
  /** Failed sign-ins per username, counted across nodes. */
  loginThrottle: LoginThrottle;
  /** The per-address sign-in limits, counted across nodes. */
  rateLimitStore: (name: string) => Store;
  /** Watches the Redis link on behalf of this Socket.IO server. */
  attach(io: AppServer): void;
  close(): Promise<void>;
}

interface ClusterOptions {
  logger: Logger;
  metrics: Metrics;
  loginThrottle: { maxFailures: number; lockoutMs: number };
}

export async function startCluster(redisUrl: string, { logger, metrics, loginThrottle }: ClusterOptions): Promise<Cluster> {
  const redis = await connectRedis(redisUrl, logger);
  logger.info({ redis: redactUri(redisUrl) }, 'cluster mode: Socket.IO fan-out and shared state through Redis');
  let watcher: ReturnType<typeof resyncAfterRedisLoss> | undefined;
  return {
    redis,
    socketAdapter: redisSocketAdapter(redis, () => metrics.adapterPublishError()),
    revokedSessions: new RedisRevokedSessions(redis.commands),
    loginThrottle: redisLoginThrottle(redis.commands, loginThrottle),
    rateLimitStore: redisRateLimitStore(redis.commands),
    attach(io) {
      watcher = resyncAfterRedisLoss(io, redis, logger);
    },
    async close() {
      watcher?.stop();
      await redis.close();
    },
  };
}
