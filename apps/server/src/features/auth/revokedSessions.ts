/**
 * Session ids ended before their access tokens ran out. `requireAuth` and the socket handshake ask
 * it on every request, so it must answer without the database: an entry is kept only until every
 * access token that could carry its id has expired (tokens live at most ACCESS_TOKEN_TTL_SECONDS,
 * enforced by `maxTokenAge`), which keeps it as small as the sign-outs of the last quarter hour.
 * In memory per process now; with several nodes a Redis implementation shares it (ADR 0013).
 */
export interface RevokedSessions {
  /** Refuse `sessionId` until `until` (when its last possible access token has expired). */
  revoke(sessionId: string, until: Date): Promise<void>;
  isRevoked(sessionId: string): Promise<boolean>;
}

export class InMemoryRevokedSessions implements RevokedSessions {
  private readonly until = new Map<string, number>();
  private nextSweepAt = 0;

  constructor(private readonly now: () => number = Date.now) {}

  async revoke(sessionId: string, until: Date): Promise<void> {
    this.sweep();
    const previous = this.until.get(sessionId) ?? 0;
    this.until.set(sessionId, Math.max(previous, until.getTime()));
  }

  async isRevoked(sessionId: string): Promise<boolean> {
    const until = this.until.get(sessionId);
    if (until === undefined) return false;
    if (until > this.now()) return true;
    this.until.delete(sessionId);
    return false;
  }

  /** How many ids are held (for tests and metrics). */
  get size(): number {
    return this.until.size;
  }

  /** Drops expired entries, at most once a minute, so memory follows recent sign-outs only. */
  private sweep(): void {
    const now = this.now();
    if (now < this.nextSweepAt) return;
    this.nextSweepAt = now + 60_000;
    for (const [sessionId, until] of this.until) if (until <= now) this.until.delete(sessionId);
  }
}
