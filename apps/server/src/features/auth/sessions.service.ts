import type { Session } from '@parley/protocol';
import { AppError } from '../../lib/AppError.js';
import type { Logger } from '../../lib/logger.js';
import type { RevokedSessions } from './revokedSessions.js';
import type { SessionRecord, SessionsRepository } from './sessions.repository.js';

/** How ended sessions leave the feature: the socket layer tells and closes their sockets. */
export interface SessionEndAnnouncer {
  ended(sessionIds: string[]): void;
}

interface SessionsDeps {
  sessions: SessionsRepository;
  revoked: RevokedSessions;
  announcer: SessionEndAnnouncer;
  /** The longest an access token lives (its `maxTokenAge`): how long a revocation must be remembered. */
  accessTokenTtlMs: number;
  logger: Logger;
  now?: () => Date;
}

/** Covers clocks a little apart and a refresh that was under way while the session ended. */
const REVOCATION_MARGIN_MS = 60_000;

function toSession(record: SessionRecord, currentSessionId: string | undefined): Session {
  return {
    id: record.id,
    createdAt: record.createdAt.toISOString(),
    lastUsedAt: record.lastUsedAt.toISOString(),
    userAgent: record.userAgent,
    current: record.id === currentSessionId,
  };
}

/**
 * Sessions are sign-ins. Ending one is at once: its record is marked (refresh refuses it), its id
 * goes on the revocation list (access tokens are refused without a database read) and its sockets
 * are told and closed.
 */
export function createSessionsService(deps: SessionsDeps) {
  const { sessions, revoked, announcer, accessTokenTtlMs, logger } = deps;
  const now = deps.now ?? (() => new Date());
  const rememberFor = accessTokenTtlMs + REVOCATION_MARGIN_MS;

  // A restarted process must not forget sign-outs whose access tokens are still alive.
  const reloaded = sessions
    .revokedSince(new Date(now().getTime() - rememberFor))
    .then((recent) => Promise.all(recent.map(({ id, revokedAt }) => revoked.revoke(id, new Date(revokedAt.getTime() + rememberFor)))))
    .catch((error: unknown) => logger.error({ err: error }, 'could not reload recent session revocations'));

  async function end(sessionIds: string[]): Promise<void> {
    if (sessionIds.length === 0) return;
    const at = now();
    await sessions.revoke(sessionIds, at);
    const until = new Date(at.getTime() + rememberFor);
    await Promise.all(sessionIds.map((sessionId) => revoked.revoke(sessionId, until)));
    announcer.ended(sessionIds);
  }

  return {
    async isRevoked(sessionId: string): Promise<boolean> {
      await reloaded;
      return revoked.isRevoked(sessionId);
    },

    start(userId: string, userAgent: string | null, maxAgeMs: number): Promise<SessionRecord> {
      const at = now();
      return sessions.create({ userId, userAgent, at, expiresAt: new Date(at.getTime() + maxAgeMs) });
    },

    /** The session if it may still be refreshed at `at`; null when ended, expired or unknown. */
    async findLive(sessionId: string, at: Date): Promise<SessionRecord | null> {
      const record = await sessions.findById(sessionId);
      if (!record || record.revokedAt || record.expiresAt <= at) return null;
      return record;
    },

    touch: (sessionId: string, at: Date) => sessions.touch(sessionId, at),

    async list(userId: string, currentSessionId: string | undefined): Promise<Session[]> {
      const records = await sessions.listLive(userId, now());
      return records.map((record) => toSession(record, currentSessionId));
    },

    end,

    /** Ends one of the caller's own sessions; someone else's is as unknown as a made-up id. */
    async endOwn(userId: string, sessionId: string): Promise<void> {
      const record = await sessions.findById(sessionId);
      if (!record || record.userId !== userId) throw new AppError('NOT_FOUND', 'No such session');
      await end([sessionId]);
    },

    /** Ends every live session of the user, but `keepSessionId` when given. */
    async endAll(userId: string, keepSessionId?: string): Promise<void> {
      const ids = await sessions.liveIds(userId, now());
      await end(ids.filter((id) => id !== keepSessionId));
    },
  };
}

export type SessionsService = ReturnType<typeof createSessionsService>;
