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

/** Clients never emit presence events; the server only watches sockets come and go. */
export async function trackPresence(socket: AppSocket, presence: PresenceService): Promise<void> {
  const { userId } = socket.data;
  socket.on('disconnect', (reason) => {
    void presence.disconnect(userId, socket.id, { explicit: reason === 'client namespace disconnect' });
  });
  await presence.connect(userId, socket.id);
  if (socket.connected) socket.emit('online_users', { userIds: await presence.onlineUserIds() });
}
