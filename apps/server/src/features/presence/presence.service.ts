import { KeyedSerialQueue } from '../../lib/keyedSerialQueue.js';
import type { Logger } from '../../lib/logger.js';
import { noopMetrics, type Metrics } from '../../lib/metrics.js';
import type { PresenceStore } from './presence.store.js';

/** How presence changes leave the feature; the socket layer turns them into events. */
export interface PresenceAnnouncer {
  online(userId: string): void;
  offline(userId: string, lastSeen: Date): void;
}

interface PresenceDeps {
  store: PresenceStore;
  announcer: PresenceAnnouncer;
  /** How long a user with no sockets still counts as online: a reload is not a departure. */
  graceMs: number;
  recordLastSeen(userId: string, at: Date): Promise<void>;
  logger: Logger;
  metrics?: Metrics;
  now?: () => Date;
}

/**
 * Sockets connect and disconnect; users go online and offline. A user is online from their
 * first socket until their last one has been gone for `graceMs` (at once after an explicit
 * disconnect, such as logout). Each user's changes run in order, one at a time.
 */
export function createPresenceService(deps: PresenceDeps) {
  const { store, announcer, graceMs, logger } = deps;
  const now = deps.now ?? (() => new Date());
  const queue = new KeyedSerialQueue();
  (deps.metrics ?? noopMetrics).watchQueue('presence', () => queue.pending);
  /** Users with no socket left who are not yet announced offline. */
  const leaving = new Map<string, NodeJS.Timeout>();

  async function goOffline(userId: string): Promise<void> {
    const lastSeen = now();
    try {
      await deps.recordLastSeen(userId, lastSeen);
    } catch (error) {
      // Presence must not lie because the database hiccuped: announce anyway.
      logger.warn({ err: error, userId }, 'could not record lastSeen');
    }
    announcer.offline(userId, lastSeen);
  }

  function scheduleOffline(userId: string): void {
    const timer = setTimeout(() => {
      void queue.run(userId, async () => {
        if (leaving.get(userId) !== timer) return;
        leaving.delete(userId);
        if ((await store.socketCount(userId)) === 0) await goOffline(userId);
      });
    }, graceMs);
    timer.unref();
    leaving.set(userId, timer);
  }

  return {
    connect(userId: string, socketId: string): Promise<void> {
      return queue.run(userId, async () => {
        const { firstSocket } = await store.addSocket(userId, socketId);
        const pending = leaving.get(userId);
        if (pending) {
          // Back within the grace period: they never went offline, so nothing to announce.
          clearTimeout(pending);
          leaving.delete(userId);
          return;
        }
        if (firstSocket) announcer.online(userId);
      });
    },

    disconnect(userId: string, socketId: string, options: { explicit: boolean }): Promise<void> {
      return queue.run(userId, async () => {
        const { lastSocket } = await store.removeSocket(userId, socketId);
        if (!lastSocket) return;
        if (options.explicit || graceMs === 0) await goOffline(userId);
        else scheduleOffline(userId);
      });
    },

    /** Everyone not announced offline, including users inside their grace period. */
    async onlineUserIds(): Promise<string[]> {
      const ids = new Set(await store.onlineUserIds());
      for (const userId of leaving.keys()) ids.add(userId);
      return [...ids];
    },

    /** Waits for queued changes; drops pending offline timers (the server is going away). */
    async close(): Promise<void> {
      await queue.idle();
      for (const timer of leaving.values()) clearTimeout(timer);
      leaving.clear();
    },
  };
}

export type PresenceService = ReturnType<typeof createPresenceService>;
