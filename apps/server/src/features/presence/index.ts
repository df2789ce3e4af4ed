import { TokenBuckets } from '../../lib/tokenBucket.js';
import type { FeatureContext, Feature } from '../feature.js';
import { createUsersRepository } from '../users/users.repository.js';
import { createPresenceService, type PresenceService } from './presence.service.js';
import { socketPresenceAnnouncer, trackPresence } from './presence.socket.js';
import { InMemoryPresenceStore, type PresenceStore } from './presence.store.js';

/** presence_subscribe per user: a list scrolled by a person re-subscribes a few times a second at most. */
const PRESENCE_SUBSCRIBE_RATE = { perSecond: 5, burst: 10 };

interface PresenceDeps {
  /** Where presence state lives; in this process's memory when not given. */
  store?: PresenceStore | undefined;
  /** Distinct conversation partners of a user (the messages feature), at most `limit`. */
  partnersOf(userId: string, limit: number): Promise<string[]>;
  /** Whether a session was ended: a socket the server closed for that is a departure, not a reload. */
  isSessionEnded(sessionId: string): Promise<boolean>;
}

/** Who is online, told to those who watch: partners and subscribers (ADR 0012). */
export function mountPresence(ctx: FeatureContext, deps: PresenceDeps): Feature & { service: PresenceService } {
  const { config, logger } = ctx;
  const users = createUsersRepository(ctx.db);
  const service = createPresenceService({
    store: deps.store ?? new InMemoryPresenceStore({ graceMs: config.presenceGraceMs }),
    announcer: socketPresenceAnnouncer(ctx.io),
    profiles: (ids) => users.presenceProfiles(ids),
    recordLastSeen: (userId, at) => users.setLastSeen(userId, at),
    partnersOf: deps.partnersOf,
    // A fifth of the grace period: offline is announced within 1.2 x grace.
    sweepEveryMs: Math.min(1000, Math.max(10, Math.floor(config.presenceGraceMs / 5))),
    maxSocketsPerUser: config.maxSocketsPerUser,
    logger,
    metrics: ctx.metrics,
  });
  const subscribeBuckets = new TokenBuckets(PRESENCE_SUBSCRIBE_RATE.perSecond, PRESENCE_SUBSCRIBE_RATE.burst);
  return {
    service,
    onConnection(socket) {
      void trackPresence(socket, { presence: service, subscribeBuckets, logger, isSessionEnded: deps.isSessionEnded }).catch((error: unknown) =>
        logger.error({ err: error }, 'presence tracking failed'),
      );
    },
    close: () => service.close(),
  };
}
