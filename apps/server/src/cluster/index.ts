import type { Logger } from '../lib/logger.js';
import type { Metrics } from '../lib/metrics.js';
import type { AppServer } from '../socket/types.js';
import { redactUri } from '../lib/redactUri.js';
import { connectRedis, type RedisLink } from './redisLink.js';
import { redisSocketAdapter, resyncAfterRedisLoss, type SocketAdapter } from './socketAdapter.js';

/**
 * What a node shares with the others when REDIS_URL is set (contract v2 "Running several
 * nodes"): Socket.IO fan-out through Redis, and a `resync_required` to local sockets after the
 * link to Redis comes back. main.ts starts it before the app and closes it after.
 */
export interface Cluster {
  redis: RedisLink;
  socketAdapter: SocketAdapter;
  /** Watches the Redis link on behalf of this Socket.IO server. */
  attach(io: AppServer): void;
  close(): Promise<void>;
}

export async function startCluster(redisUrl: string, { logger, metrics }: { logger: Logger; metrics: Metrics }): Promise<Cluster> {
  const redis = await connectRedis(redisUrl, logger);
  logger.info({ redis: redactUri(redisUrl) }, 'cluster mode: Socket.IO fan-out and shared state through Redis');
  let watcher: ReturnType<typeof resyncAfterRedisLoss> | undefined;
  return {
    redis,
    socketAdapter: redisSocketAdapter(redis, () => metrics.adapterPublishError()),
    attach(io) {
      watcher = resyncAfterRedisLoss(io, redis, logger);
    },
    async close() {
      watcher?.stop();
      await redis.close();
    },
  };
}
