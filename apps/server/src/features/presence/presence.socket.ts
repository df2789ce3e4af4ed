import type { AppServer, AppSocket } from '../../socket/types.js';
import { userRoom } from '../../socket/rooms.js';
import type { PresenceAnnouncer, PresenceService } from './presence.service.js';

/** Presence changes go to everyone but the user's own sockets. No socket id ever leaves. */
export function socketPresenceAnnouncer(io: AppServer): PresenceAnnouncer {
  return {
    online(userId) {
      io.except(userRoom(userId)).emit('user_online', { userId });
    },
    offline(userId, lastSeen) {
      io.except(userRoom(userId)).emit('user_offline', { userId, lastSeen: lastSeen.toISOString() });
    },
  };
}

/**
 * Clients never emit presence events; the server only watches sockets come and go. A departure is
 * explicit (offline at once, no grace) when the client disconnected on purpose (logout) or the
 * server closed the socket because its session ended (`isSessionEnded`), not for a token expiry.
 */
export async function trackPresence(
  socket: AppSocket,
  presence: PresenceService,
  isSessionEnded: (sessionId: string) => Promise<boolean> = async () => false,
): Promise<void> {
  const { userId, sessionId } = socket.data;
  socket.on('disconnect', (reason) => {
    const explicit =
      reason === 'client namespace disconnect'
        ? Promise.resolve(true)
        : reason === 'server namespace disconnect' && sessionId
          ? isSessionEnded(sessionId)
          : Promise.resolve(false);
    void explicit.then((isExplicit) => presence.disconnect(userId, socket.id, { explicit: isExplicit }));
  });
  await presence.connect(userId, socket.id);
  if (socket.connected) socket.emit('online_users', { userIds: await presence.onlineUserIds() });
}
