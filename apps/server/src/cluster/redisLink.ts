import { Redis } from 'ioredis';
import type { Logger } from '../lib/logger.js';
import { redactUri } from '../lib/redactUri.js';

/**
 * The two Redis connections a node keeps: one for commands and publishing, one in subscriber mode
 * (Redis allows nothing else on a subscribed connection). Both reconnect by themselves; ioredis
 * subscribes the subscriber to its channels again after a reconnect.
 */
export interface RedisLink {
  commands: Redis;
  subscriber: Redis;
  close(): Promise<void>;
}

const CONNECT_TIMEOUT_MS = 10_000;

function client(url: string, name: string, logger: Logger): Redis {
  const redis = new Redis(url, {
    connectionName: name,
    // While Redis is away a command fails at once instead of queueing: a publish missed then is
    // made good by `resync_required`, and a caller never hangs on a dead link.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    lazyConnect: true,
    // Retry forever, never more than a second apart: Redis may be restarted or failed over.
    retryStrategy: (attempt) => Math.min(50 * attempt, 1000),
  });
  let reported = false;
  redis.on('error', (error: Error) => {
    // ioredis emits an error on every failed reconnect attempt: log the first of each outage.
    if (reported) return;
    reported = true;
    logger.warn({ err: error, connection: name }, 'Redis connection failed; reconnecting');
  });
  redis.on('ready', () => {
    if (reported) logger.info({ connection: name }, 'Redis connection is back');
    reported = false;
  });
  return redis;
}

/** Connects both, or throws within CONNECT_TIMEOUT_MS: a node must not start without its cluster. */
export async function connectRedis(url: string, logger: Logger): Promise<RedisLink> {
  const commands = client(url, 'parley-commands', logger);
  const subscriber = client(url, 'parley-subscriber', logger);
  const close = async () => {
    for (const redis of [commands, subscriber]) {
      if (redis.status === 'end') continue;
      try {
        await redis.quit();
      } catch {
        redis.disconnect();
      }
    }
  };
  try {
    await Promise.race([
      Promise.all([commands.connect(), subscriber.connect()]),
      new Promise((_resolve, reject) =>
        setTimeout(() => reject(new Error(`Redis at ${redactUri(url)} did not answer`)), CONNECT_TIMEOUT_MS).unref(),
      ),
    ]);
  } catch (error) {
    commands.disconnect();
    subscriber.disconnect();
    throw error;
  }
  return { commands, subscriber, close };
}
