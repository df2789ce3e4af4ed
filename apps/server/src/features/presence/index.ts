import type { FeatureContext, Feature } from '../feature.js';
import { createUsersRepository } from '../users/users.repository.js';
import { createPresenceService, type PresenceService } from './presence.service.js';
import { socketPresenceAnnouncer, trackPresence } from './presence.socket.js';
import type { PresenceStore } from './presence.store.js';

interface PresenceDeps {
  /** Whether a session was ended: a socket the server closed for that is a departure, not a reload. */
  isSessionEnded(sessionId: string): Promise<boolean>;
}

/** Who is online: watches sockets come and go, records lastSeen, announces changes. */
export function mountPresence(ctx: FeatureContext, store: PresenceStore, { isSessionEnded }: PresenceDeps): Feature & { service: PresenceService } {
  const users = createUsersRepository(ctx.db);
  const service = createPresenceService({
    store,
    announcer: socketPresenceAnnouncer(ctx.io),
    graceMs: ctx.config.presenceGraceMs,
    recordLastSeen: (userId, at) => users.setLastSeen(userId, at),
    logger: ctx.logger,
    metrics: ctx.metrics,
  });
  return {
    service,
    onConnection(socket) {
      void trackPresence(socket, service, isSessionEnded).catch((error: unknown) => ctx.logger.error({ err: error }, 'presence tracking failed'));
    },
    close: () => service.close(),
  };
}
