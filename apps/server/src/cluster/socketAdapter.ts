import { createShardedAdapter } from '@socket.io/redis-adapter';
import type { ServerOptions } from 'socket.io';
import type { Logger } from '../lib/logger.js';
import type { AppServer } from '../socket/types.js';
import type { RedisLink } from './redisLink.js';

export type SocketAdapter = NonNullable<ServerOptions['adapter']>;

/**
 * Socket.IO fan-out across nodes over Redis 7 sharded pub/sub. "dynamic": a node subscribes to
 * one channel per room it has sockets in, so an emit to one room reaches only the nodes that
 * hold members of it. An emit naming several rooms (or none) goes to every node: ours always
 * name exactly one room, except presence-free broadcasts that are meant for everyone.
 */
export function redisSocketAdapter(redis: RedisLink, onPublishError: () => void): SocketAdapter {
  const makeAdapter = createShardedAdapter(redis.commands, redis.subscriber, {
    channelPrefix: 'parley',
    subscriptionMode: 'dynamic',
  });
  // The adapter swallows a failed publish (the local sockets still get the event): count it.
  return function countingPublishErrors(namespace: unknown) {
    const adapter = makeAdapter(namespace);
    const publish = adapter.doPublish.bind(adapter);
    adapter.doPublish = (message) =>
      publish(message).catch((error: unknown) => {
        onPublishError();
        throw error;
      });
    return adapter;
  } as unknown as SocketAdapter;
}

/** Subscribed once at start; subscribing to it again after a reconnect tells when Redis has caught up. */
const PROBE_CHANNEL = 'parley#resync-probe';

/**
 * While a node's link to Redis is down, what other nodes publish never reaches it (and what it
 * publishes reaches nobody else). When both connections are back and every channel is subscribed
 * again, each local socket is told `resync_required`, and the client runs its catch-up
 * (`GET /api/sync`), which reads the database: nothing stored during the gap is missed. Returns
 * a function that runs the callbacks given to it whenever such a recovery completes (presence
 * re-registers on it too).
 */
export function resyncAfterRedisLoss(io: AppServer, redis: RedisLink, logger: Logger) {
  let lost = false;
  let recovering = false;
  const onRecovered: Array<() => Promise<void> | void> = [];
  void redis.subscriber.ssubscribe(PROBE_CHANNEL).catch(() => undefined);

  const markLost = () => {
    if (!lost) logger.warn({}, 'lost the Redis link: cross-node events may be missed until it is back');
    lost = true;
  };
  const whenReady = () => {
    if (!lost || recovering) return;
    if (redis.commands.status !== 'ready' || redis.subscriber.status !== 'ready') return;
    recovering = true;
    // ioredis re-sends its subscriptions right after 'ready': queue the probe behind them, and
    // its reply means every channel before it is subscribed again.
    setImmediate(() => {
      redis.subscriber
        .ssubscribe(PROBE_CHANNEL)
        .then(async () => {
          lost = false;
          for (const callback of onRecovered) await callback();
          io.local.emit('resync_required', {});
          logger.info({ sockets: io.of('/').sockets.size }, 'Redis link restored: local sockets told to resync');
        })
        .catch((error: unknown) => logger.warn({ err: error }, 'Redis resubscription failed; waiting for the next reconnect'))
        .finally(() => {
          recovering = false;
        });
    });
  };
  for (const redisClient of [redis.commands, redis.subscriber]) {
    redisClient.on('close', markLost);
    redisClient.on('ready', whenReady);
  }
  return {
    /** Runs `callback` after each recovery, before sockets are told to resync. */
    onRecovered(callback: () => Promise<void> | void) {
      onRecovered.push(callback);
    },
    stop() {
      for (const redisClient of [redis.commands, redis.subscriber]) {
        redisClient.off('close', markLost);
        redisClient.off('ready', whenReady);
      }
    },
  };
}
