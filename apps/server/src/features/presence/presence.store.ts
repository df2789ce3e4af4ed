/**
 * Who is online, and who is inside the grace period after losing their last socket. The store
 * owns every presence transition (socket sets, grace deadlines, expiry), so a shared store
 * (Redis with one Lua script per method, say) can take its place when the server runs on several
 * nodes without the service changing. Each method is one atomic step.
 * Presence is never written to the database: it is ephemeral and resets with the server.
 */
export interface PresenceStore {
  /**
   * Adds a socket. `cameOnline` is true when the user was neither connected nor inside the grace
   * period. `shows`: whether the user shows their presence (kept while they are online).
   */
  connect(userId: string, socketId: string, options: { shows: boolean }): Promise<{ cameOnline: boolean }>;
  /**
   * Removes a socket (unknown sockets change nothing). When it was the user's last one, an
   * `explicit` departure (sign-out) or a zero grace period means `wentOffline` at once; otherwise
   * the user stays online until `leavingAt` (epoch ms) unless a socket comes back before.
   */
  disconnect(
    userId: string,
    socketId: string,
    options: { explicit: boolean; now: number },
  ): Promise<{ wentOffline: boolean; leavingAt: number | null }>;
  /** Ends every grace period due at `now`: those users are offline from here on; returns them. */
  expireDue(now: number): Promise<string[]>;
  /** Those of `userIds` that are online (connected or inside their grace period). O(userIds). */
  onlineAmong(userIds: readonly string[]): Promise<string[]>;
  /** Those of `userIds` that are online and show it: what others may see. O(userIds). */
  showingOnlineAmong(userIds: readonly string[]): Promise<string[]>;
  /** Records a change of the user's setting; `online` says whether it matters to anyone now. */
  setShows(userId: string, shows: boolean): Promise<{ online: boolean }>;
  /** The user's open sockets (on every node, for a shared store): the per-user socket cap counts these. */
  socketCount(userId: string): Promise<number>;
}

export class InMemoryPresenceStore implements PresenceStore {
  private readonly socketsByUser = new Map<string, Set<string>>();
  /**
   * Users with no socket left, by grace deadline. The grace period is one constant, so insertion
   * order is deadline order and expiry reads only what is due.
   */
  private readonly leavingAt = new Map<string, number>();
  /** Users online now who hide their presence. */
  private readonly hidden = new Set<string>();
  private readonly graceMs: number;

  constructor(options: { graceMs: number }) {
    this.graceMs = options.graceMs;
  }

  async connect(userId: string, socketId: string, options: { shows: boolean }) {
    if (options.shows) this.hidden.delete(userId);
    else this.hidden.add(userId);
    const sockets = this.socketsByUser.get(userId);
    if (sockets) {
      sockets.add(socketId);
      return { cameOnline: false };
    }
    this.socketsByUser.set(userId, new Set([socketId]));
    // Back within the grace period: they never went offline.
    return { cameOnline: !this.leavingAt.delete(userId) };
  }

  async disconnect(userId: string, socketId: string, options: { explicit: boolean; now: number }) {
    const sockets = this.socketsByUser.get(userId);
    if (!sockets?.delete(socketId) || sockets.size > 0) return { wentOffline: false, leavingAt: null };
    this.socketsByUser.delete(userId);
    if (options.explicit || this.graceMs === 0) {
      this.hidden.delete(userId);
      return { wentOffline: true, leavingAt: null };
    }
    const leavingAt = options.now + this.graceMs;
    this.leavingAt.set(userId, leavingAt);
    return { wentOffline: false, leavingAt };
  }

  async expireDue(now: number) {
    const expired: string[] = [];
    for (const [userId, deadline] of this.leavingAt) {
      if (deadline > now) break;
      this.leavingAt.delete(userId);
      this.hidden.delete(userId);
      expired.push(userId);
    }
    return expired;
  }

  async onlineAmong(userIds: readonly string[]) {
    return userIds.filter((userId) => this.isOnline(userId));
  }

  async showingOnlineAmong(userIds: readonly string[]) {
    return userIds.filter((userId) => this.isOnline(userId) && !this.hidden.has(userId));
  }

  async setShows(userId: string, shows: boolean) {
    const online = this.isOnline(userId);
    if (online && !shows) this.hidden.add(userId);
    else this.hidden.delete(userId);
    return { online };
  }

  async socketCount(userId: string) {
    return this.socketsByUser.get(userId)?.size ?? 0;
  }

  private isOnline(userId: string): boolean {
    return this.socketsByUser.has(userId) || this.leavingAt.has(userId);
  }
}
