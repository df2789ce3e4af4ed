import type { Logger } from '../../lib/logger.js';
import type { RevokedSessions } from './revokedSessions.js';
import type { SessionsRepository } from './sessions.repository.js';

/** Covers clocks a little apart and a refresh that was under way while the session ended. */
const REVOCATION_MARGIN_MS = 60_000;

interface SessionRevocationsDeps {
  store: RevokedSessions;
  sessions: SessionsRepository;
  /** The longest an access token lives (its `maxTokenAge`): how long a revocation must be remembered. */
  accessTokenTtlMs: number;
  logger: Logger;
  now?: () => Date;
}

/**
 * The revocation list as requireAuth, the handshake and the sessions service use it: what is
 * ended is kept until every access token that could carry it has expired (ADR 0013). A process
 * that starts first reloads the sessions ended within that time, so a restart reopens none.
 */
export function createSessionRevocations(deps: SessionRevocationsDeps) {
  const { store, sessions, logger } = deps;
  const now = deps.now ?? (() => new Date());
  const rememberFor = deps.accessTokenTtlMs + REVOCATION_MARGIN_MS;

  const reloaded = sessions
    .revokedSince(new Date(now().getTime() - rememberFor))
    .then((recent) => Promise.all(recent.map(({ id, revokedAt }) => store.revoke(id, new Date(revokedAt.getTime() + rememberFor)))))
    .catch((error: unknown) => logger.error({ err: error }, 'could not reload recent session revocations'));

  return {
    async isRevoked(sessionId: string): Promise<boolean> {
      await reloaded;
      return store.isRevoked(sessionId);
    },
    /** Refuses these sessions' access tokens from now on. */
    async revoke(sessionIds: string[], at: Date): Promise<void> {
      const until = new Date(at.getTime() + rememberFor);
      await Promise.all(sessionIds.map((sessionId) => store.revoke(sessionId, until)));
    },
  };
}

export type SessionRevocations = ReturnType<typeof createSessionRevocations>;
