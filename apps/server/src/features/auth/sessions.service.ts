import type { Session } from '@parley/protocol';
import { AppError } from '../../lib/AppError.js';
import type { SessionRevocations } from './sessionRevocations.js';
import type { SessionRecord, SessionsRepository } from './sessions.repository.js';

/** How ended sessions leave the feature: the socket layer tells and closes their sockets. */
export interface SessionEndAnnouncer {
  ended(sessionIds: string[]): void;
}

interface SessionsDeps {
  sessions: SessionsRepository;
  revocations: SessionRevocations;
  announcer: SessionEndAnnouncer;
  now?: () => Date;
}

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
  const { sessions, revocations, announcer } = deps;
  const now = deps.now ?? (() => new Date());

  async function end(sessionIds: string[]): Promise<void> {
    if (sessionIds.length === 0) return;
    const at = now();
    await sessions.revoke(sessionIds, at);
    await revocations.revoke(sessionIds, at);
    announcer.ended(sessionIds);
  }

  return {
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
