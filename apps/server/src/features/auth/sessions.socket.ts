import { sessionRoom } from '../../socket/rooms.js';
import type { AppServer, AppSocket } from '../../socket/types.js';
import type { SessionEndAnnouncer } from './sessions.service.js';

const SESSION_REVOKED = { code: 'SESSION_REVOKED' } as const;

/**
 * Ended sessions' sockets, wherever they are, are told and closed at once through their rooms
 * (every socket joins `session:<sid>` at connection). `disconnect(true)` is the server-side close
 * presence treats as a departure once it sees the session is revoked.
 */
export function socketSessionAnnouncer(io: AppServer): SessionEndAnnouncer {
  return {
    ended(sessionIds) {
      // One room per emit, so that with several nodes the adapter routes each only to the nodes
      // holding that session's sockets (ADR 0016); the close follows the notice on every node.
      for (const sessionId of sessionIds) {
        io.in(sessionRoom(sessionId)).emit('session_expired', SESSION_REVOKED);
        io.in(sessionRoom(sessionId)).disconnectSockets(true);
      }
    },
  };
}

/** A session ended between the handshake's check and the socket joining its room was told to nobody: close it. */
export async function closeIfSessionEnded(socket: AppSocket, isRevoked: (sessionId: string) => Promise<boolean>): Promise<void> {
  const { sessionId } = socket.data;
  if (!sessionId || !(await isRevoked(sessionId)) || !socket.connected) return;
  socket.emit('session_expired', SESSION_REVOKED);
  socket.disconnect(true);
}
