/**
 * Where the live sockets of each user are kept. In memory for one node; a shared store (Redis
 * sets, say) can implement the same interface when the server runs on several nodes.
 * Presence is never written to the database: it is ephemeral and resets with the server.
 */
export interface PresenceStore {
  /** Adds a socket; `firstSocket` is true when the user had none. */
  addSocket(userId: string, socketId: string): Promise<{ firstSocket: boolean }>;
  /** Removes a socket; `lastSocket` is true when the user has none left. */
  removeSocket(userId: string, socketId: string): Promise<{ lastSocket: boolean }>;
  socketCount(userId: string): Promise<number>;
  onlineUserIds(): Promise<string[]>;
}

export class InMemoryPresenceStore implements PresenceStore {
  private readonly socketsByUser = new Map<string, Set<string>>();

  async addSocket(userId: string, socketId: string) {
    const sockets = this.socketsByUser.get(userId);
    if (sockets) {
      sockets.add(socketId);
      return { firstSocket: false };
    }
    this.socketsByUser.set(userId, new Set([socketId]));
    return { firstSocket: true };
  }

  async removeSocket(userId: string, socketId: string) {
    const sockets = this.socketsByUser.get(userId);
    if (!sockets?.delete(socketId)) return { lastSocket: false };
    if (sockets.size > 0) return { lastSocket: false };
    this.socketsByUser.delete(userId);
    return { lastSocket: true };
  }

  async socketCount(userId: string) {
    return this.socketsByUser.get(userId)?.size ?? 0;
  }

  async onlineUserIds() {
    return [...this.socketsByUser.keys()];
  }
}
