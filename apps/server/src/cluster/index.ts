import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { Store } from 'express-rate-limit';
import type { LoginThrottle } from '../features/auth/loginThrottle.js';
import type { RevokedSessions } from '../features/auth/revokedSessions.js';
import type { Logger } from '../lib/logger.js';
import type { Metrics } from '../lib/metrics.js';
import { redactUri } from '../lib/redactUri.js';
import type { AppServer } from '../socket/types.js';
import type { BudgetConfig, Budgets } from '../lib/budgets.js';
import { redisBudgets } from './redisBudgets.js';
import { redisLoginThrottle, redisRateLimitStore } from './redisLimiters.js';
import { RedisPresenceStore } from './redisPresenceStore.js';
import { connectRedis, type RedisLink } from './redisLink.js';
import { RedisRevokedSessions } from './redisRevokedSessions.js';
import { redisSocketAdapter, resyncAfterRedisLoss, type SocketAdapter } from './socketAdapter.js';

/**
 * What a node shares with the others when REDIS_URL is set (contract v2 "Running several
 * nodes"): Socket.IO fan-out through Redis, a `resync_required` to local sockets after the
 * link to Redis comes back, and the state nodes share (presence, revoked sessions, sign-in
 * limits, per-user budgets). main.ts starts it before the app and closes it after.
 */
export interface Cluster {
  redis: RedisLink;
  socketAdapter: SocketAdapter;
  /** Who is online on any node; silent nodes are reaped (ADR 0016). */
  presenceStore: RedisPresenceStore;
  /** Ended sessions, refused by every node until their access tokens expire. */
  revokedSessions: RevokedSessions;
  /** Failed sign-ins per username, counted across nodes. */
  loginThrottle: LoginThrottle;
  /** The per-address sign-in limits, counted across nodes. */
  rateLimitStore: (name: string) => Store;
  /** Per-user budgets at every door, spent across nodes (ADR 0021). */
  budgets: Budgets;
  /**
   * Watches the Redis link on behalf of this Socket.IO server and starts the presence heartbeat.
   * `registerSocketsAgain` puts this node's live sockets back into presence: called when the node
   * finds it was reaped (a long pause) and when the link comes back (Redis may have restarted empty).
   */
  attach(io: AppServer, registerSocketsAgain: () => Promise<void>): void;
  close(): Promise<void>;
}

interface ClusterOptions {
  logger: Logger;
  metrics: Metrics;
  loginThrottle: { maxFailures: number; lockoutMs: number };
  presence: { graceMs: number; nodeTimeoutMs: number };
  budgets: BudgetConfig;
}

export async function startCluster(redisUrl: string, { logger, metrics, loginThrottle, presence, budgets }: ClusterOptions): Promise<Cluster> {
  const redis = await connectRedis(redisUrl, logger);
  logger.info({ redis: redactUri(redisUrl) }, 'cluster mode: Socket.IO fan-out and shared state through Redis');
  let watcher: ReturnType<typeof resyncAfterRedisLoss> | undefined;
  const presenceStore = new RedisPresenceStore(redis.commands, {
    ...presence,
    // A restarted process is a new node: its predecessor's sockets are reaped, not inherited.
    nodeId: `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`,
    logger,
    onReaped: (sockets) => metrics.presenceReaped(sockets),
  });
  return {
    redis,
    socketAdapter: redisSocketAdapter(redis, () => metrics.adapterPublishError()),
    revokedSessions: new RedisRevokedSessions(redis.commands),
    loginThrottle: redisLoginThrottle(redis.commands, loginThrottle),
    rateLimitStore: redisRateLimitStore(redis.commands),
    budgets: redisBudgets(redis.commands, budgets),
    presenceStore,
    attach(io, registerSocketsAgain) {
      watcher = resyncAfterRedisLoss(io, redis, logger);
      watcher.onRecovered(registerSocketsAgain);
      presenceStore.startHeartbeat(registerSocketsAgain);
    },
    async close() {
      presenceStore.stopHeartbeat();
      watcher?.stop();
      await redis.close();
    },
  };
}
