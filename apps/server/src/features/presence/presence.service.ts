import pLimit from 'p-limit';
import type { PresenceState } from '@parley/protocol';
import { KeyedSerialQueue } from '../../lib/keyedSerialQueue.js';
import { noopMetrics, type Metrics } from '../../lib/metrics.js';
import type { Logger } from '../../lib/logger.js';
import type { PresenceStore } from './presence.store.js';

/**
 * How many conversation partners a socket watches automatically: the bound on what a connect
 * costs (rooms joined, the `online_users` snapshot). Anyone beyond it can still be subscribed to.
 */
export const PRESENCE_PARTNERS_MAX = 500;
/**
 * Partner lists loaded at once: a connect storm queues here, in memory, instead of sending the
 * database thousands of queries together (each scans on FerretDB).
 */
const PARTNER_LOADS_AT_ONCE = 4;

/** What presence needs to know of a user: whether they show it, and when they were last seen. */
export interface PresenceProfile {
  id: string;
  showPresence: boolean;
  lastSeen: Date | null;
}

/** How presence leaves the feature; the socket layer turns it into rooms and events. */
export interface PresenceAnnouncer {
  /** To every watcher of `userId`. */
  online(userId: string): void;
  offline(userId: string, lastSeen: Date): void;
  /** Every socket of each user becomes a watcher of the other. */
  watchEachOther(a: string, b: string): void;
  /** Tells every socket of `userId` another user's current state (as the event that announces it). */
  tell(userId: string, state: PresenceState): void;
}

interface PresenceDeps {
  store: PresenceStore;
  announcer: PresenceAnnouncer;
  /** Profiles of those of `ids` that exist. */
  profiles(ids: string[]): Promise<PresenceProfile[]>;
  recordLastSeen(userId: string, at: Date): Promise<void>;
  /** Distinct conversation partners of a user, at most `limit`. */
  partnersOf(userId: string, limit: number): Promise<string[]>;
  /** How often grace periods are checked for expiry: the resolution of the grace period. */
  sweepEveryMs: number;
  /** Sockets one user may have open (every node); a handshake beyond is refused. Unbounded when absent. */
  maxSocketsPerUser?: number;
  logger: Logger;
  metrics?: Metrics;
  now?: () => Date;
}

/** The privacy rule, in one place: a user who hides their presence is offline with no last seen. */
function visibleState(profile: PresenceProfile, online: boolean): PresenceState {
  return {
    userId: profile.id,
    online: profile.showPresence && online,
    lastSeen: profile.showPresence && profile.lastSeen ? profile.lastSeen.toISOString() : null,
  };
}

/**
 * Sockets connect and disconnect; users go online and offline. The store decides the transitions
 * (first socket, grace period, expiry); this service records lastSeen and tells the user's
 * watchers, never about a user who hides their presence. Each user's announcements run in order.
 */
export function createPresenceService(deps: PresenceDeps) {
  const { store, announcer, logger } = deps;
  const now = deps.now ?? (() => new Date());
  const queue = new KeyedSerialQueue();
  const partnersInFlight = new Map<string, Promise<string[]>>();
  const partnerLoads = pLimit(PARTNER_LOADS_AT_ONCE);
  /**
   * Sockets the handshake admitted whose `connect` has not reached the store yet, by user: counted
   * with the store's sockets so tabs opening together cannot all slip under the cap.
   */
  const admitted = new Map<string, Set<string>>();
  const forgetAdmission = (userId: string, socketId: string) => {
    const sockets = admitted.get(userId);
    if (sockets?.delete(socketId) && sockets.size === 0) admitted.delete(userId);
  };
  (deps.metrics ?? noopMetrics).watchQueue('presence', () => queue.pending);
  (deps.metrics ?? noopMetrics).watchQueue('presence_partner_loads', () => partnerLoads.pendingCount);

  /** Whether the user shows their presence; when that cannot be read, they are kept hidden. */
  async function shows(userId: string): Promise<boolean> {
    try {
      const [profile] = await deps.profiles([userId]);
      return profile?.showPresence ?? false;
    } catch (error) {
      logger.error({ err: error, userId }, 'could not read whether a user shows their presence; not announcing');
      return false;
    }
  }

  async function isOnline(userId: string): Promise<boolean> {
    return (await store.onlineAmong([userId])).length > 0;
  }

  async function wentOffline(userId: string): Promise<void> {
    const lastSeen = now();
    try {
      await deps.recordLastSeen(userId, lastSeen);
    } catch (error) {
      // Presence must not lie because the database hiccuped: announce anyway.
      logger.warn({ err: error, userId }, 'could not record lastSeen');
    }
    if (await shows(userId)) announcer.offline(userId, lastSeen);
  }

  let sweeping = false;
  async function sweep(): Promise<void> {
    if (sweeping) return;
    sweeping = true;
    try {
      const expired = await store.expireDue(now().getTime());
      await Promise.all(
        expired.map((userId) =>
          queue.run(userId, async () => {
            // With a shared store a socket may have come back since: its connect announced them.
            if (!(await isOnline(userId))) await wentOffline(userId);
          }),
        ),
      );
    } catch (error) {
      logger.error({ err: error }, 'presence sweep failed');
    } finally {
      sweeping = false;
    }
  }
  const sweeper = setInterval(() => void sweep(), deps.sweepEveryMs);
  sweeper.unref();

  /** Logs instead of throwing: a failed announcement must not fail the caller's own work. */
  function safely(what: string, task: () => Promise<void>): Promise<void> {
    return task().catch((error: unknown) => logger.error({ err: error }, what));
  }

  async function describe(profiles: readonly PresenceProfile[]): Promise<PresenceState[]> {
    const online = new Set(await store.onlineAmong(profiles.map((profile) => profile.id)));
    return profiles.map((profile) => visibleState(profile, online.has(profile.id)));
  }

  return {
    connect(userId: string, socketId: string): Promise<void> {
      return queue.run(userId, async () => {
        try {
          const visible = await shows(userId);
          const { cameOnline } = await store.connect(userId, socketId, { shows: visible });
          if (cameOnline && visible) announcer.online(userId);
        } finally {
          // In the same queued step as the store's write: a later admission sees one or the other.
          forgetAdmission(userId, socketId);
        }
      });
    },

    /**
     * Whether one more socket of the user fits under `maxSocketsPerUser`, counting every node's
     * sockets (the store) and this node's admitted ones; a yes holds a place until `connect` (or
     * `abandonAdmission`). One user's admissions run in the user's queue, so they never race each
     * other on this node; two nodes admitting the same user's sockets in the same instant may both
     * say yes (ADR 0021).
     */
    admitSocket(userId: string, socketId: string): Promise<boolean> {
      const max = deps.maxSocketsPerUser;
      if (max === undefined) return Promise.resolve(true);
      return queue.run(userId, async () => {
        const waiting = admitted.get(userId) ?? new Set<string>();
        if ((await store.socketCount(userId)) + waiting.size >= max) return false;
        admitted.set(userId, waiting.add(socketId));
        return true;
      });
    },

    /** An admitted socket that never connected (its client left during the handshake). */
    abandonAdmission(userId: string, socketId: string): void {
      forgetAdmission(userId, socketId);
    },

    disconnect(userId: string, socketId: string, options: { explicit: boolean }): Promise<void> {
      return queue.run(userId, async () => {
        const { wentOffline: offline } = await store.disconnect(userId, socketId, {
          explicit: options.explicit,
          now: now().getTime(),
        });
        if (offline) await wentOffline(userId);
      });
    },

    /** The partners a new socket watches from the start. Tabs opening together share one query. */
    partnersToWatch(userId: string): Promise<string[]> {
      const pending = partnersInFlight.get(userId);
      if (pending) return pending;
      const query = partnerLoads(() => deps.partnersOf(userId, PRESENCE_PARTNERS_MAX)).finally(() =>
        partnersInFlight.delete(userId),
      );
      partnersInFlight.set(userId, query);
      return query;
    },

    /** Those of `userIds` others may see online now: the store alone, no database. O(userIds). */
    visiblyOnlineAmong(userIds: readonly string[]): Promise<string[]> {
      return store.showingOnlineAmong(userIds);
    },

    /** What others may see of these users' presence. O(profiles). */
    describe,

    /** The same, for ids: unknown users are left out. */
    async statesOf(userIds: string[]): Promise<PresenceState[]> {
      return userIds.length === 0 ? [] : describe(await deps.profiles(userIds));
    },

    /**
     * Two users have just become conversation partners: each watches the other from now on, on
     * every socket, and hears the other's current state at once.
     */
    startWatching(a: string, b: string): Promise<void> {
      return safely('could not start watching', async () => {
        announcer.watchEachOther(a, b);
        // Read in each user's own queue, so no announcement of theirs can overtake this state.
        const tellAbout = (about: string, to: string) =>
          queue.run(about, async () => {
            const [state] = await describe(await deps.profiles([about]));
            if (state) announcer.tell(to, state);
          });
        await Promise.all([tellAbout(a, b), tellAbout(b, a)]);
      });
    },

    /**
     * The user turned showing their presence on or off. While online, watchers see them come
     * online, or go offline as if they had just signed out; from then on they hear nothing.
     */
    visibilityChanged(userId: string, visible: boolean): Promise<void> {
      return queue.run(userId, () =>
        safely('could not announce a visibility change', async () => {
          const { online } = await store.setShows(userId, visible);
          if (!online) return;
          if (visible) announcer.online(userId);
          else announcer.offline(userId, now());
        }),
      );
    },

    /** Stops the sweep and waits for queued announcements (the server is going away). */
    async close(): Promise<void> {
      clearInterval(sweeper);
      await queue.idle();
    },
  };
}

export type PresenceService = ReturnType<typeof createPresenceService>;
