import { PresenceSubscribePayloadSchema, type FailedAck, type PresenceSubscribeAck } from '@parley/protocol';
import { AppError, toAppError } from '../../lib/AppError.js';
import type { Logger } from '../../lib/logger.js';
import type { TokenBuckets } from '../../lib/tokenBucket.js';
import { parseInput } from '../../lib/validate.js';
import { presenceRoom, subscribedMark, userOfSubscribedMark, userRoom } from '../../socket/rooms.js';
import type { AppServer, AppSocket } from '../../socket/types.js';
import type { PresenceAnnouncer, PresenceService } from './presence.service.js';

/**
 * Presence goes to the user's presence room only: one emit per change, whatever the number of
 * users online, and every emit names exactly one room (so it works through a cluster adapter).
 * No socket id ever leaves.
 */
export function socketPresenceAnnouncer(io: AppServer): PresenceAnnouncer {
  return {
    online(userId) {
      io.to(presenceRoom(userId)).emit('user_online', { userId });
    },
    offline(userId, lastSeen) {
      io.to(presenceRoom(userId)).emit('user_offline', { userId, lastSeen: lastSeen.toISOString() });
    },
    watchEachOther(a, b) {
      for (const [watcher, watched] of [
        [a, b],
        [b, a],
      ] as const) {
        io.in(userRoom(watcher)).socketsJoin(presenceRoom(watched));
        // Partners now: a later subscription without `watched` must not end the watching.
        io.in(userRoom(watcher)).socketsLeave(subscribedMark(watched));
      }
    },
    tell(userId, state) {
      if (state.online) io.to(userRoom(userId)).emit('user_online', { userId: state.userId });
      else if (state.lastSeen) {
        io.to(userRoom(userId)).emit('user_offline', { userId: state.userId, lastSeen: state.lastSeen });
      }
    },
  };
}

interface Deps {
  presence: PresenceService;
  /** Whether a session was ended: a socket the server closed for that is a departure, not a reload. */
  isSessionEnded(sessionId: string): Promise<boolean>;
  /** Per-user budget of presence_subscribe calls. */
  subscribeBuckets: TokenBuckets;
  logger: Logger;
}

/**
 * Clients never emit presence events; the server watches sockets come and go. A new socket
 * watches the user's conversation partners and hears who of them is online (`online_users`).
 * A departure is explicit (offline at once, no grace) when the client disconnected on purpose
 * (logout) or the server closed the socket because its session ended, not for a token expiry.
 */
export async function trackPresence(socket: AppSocket, deps: Deps): Promise<void> {
  const { presence } = deps;
  const { userId, sessionId } = socket.data;
  socket.on('disconnect', (reason) => {
    const explicit =
      reason === 'client namespace disconnect'
        ? Promise.resolve(true)
        : reason === 'server namespace disconnect' && sessionId
          ? deps.isSessionEnded(sessionId)
          : Promise.resolve(false);
    explicit
      .then((isExplicit) => presence.disconnect(userId, socket.id, { explicit: isExplicit }))
      .catch((error: unknown) => deps.logger.error({ err: error, userId }, 'presence could not record a disconnect'));
  });
  // Queued now, before anything awaits, so it cannot come after this socket's disconnect.
  const connected = presence.connect(userId, socket.id);

  const partnersJoined = (async () => {
    try {
      const partners = await presence.partnersToWatch(userId);
      if (socket.connected) await socket.join(partners.map(presenceRoom));
      return partners;
    } catch (error) {
      // Subscriptions still work; partners are watched again on the next connect.
      deps.logger.warn({ err: error, userId }, 'could not load the partners to watch');
      return [];
    }
  })();
  handleSubscriptions(socket, deps, partnersJoined);

  const [partners] = await Promise.all([partnersJoined, connected]);
  // Read after joining the rooms: a change from here on arrives as an event.
  const online = await presence.visiblyOnlineAmong(partners);
  if (socket.connected) socket.emit('online_users', { userIds: [userId, ...online] });
}

/** `presence_subscribe`: this socket's set of extra watched users, replaced as a whole each time. */
function handleSubscriptions(socket: AppSocket, deps: Deps, partnersJoined: Promise<unknown>): void {
  const { presence, subscribeBuckets, logger } = deps;
  const { userId } = socket.data;

  async function subscribe(payload: unknown): Promise<PresenceSubscribeAck> {
    if (!subscribeBuckets.tryTake(userId)) {
      throw new AppError('RATE_LIMITED', 'Presence subscriptions change too often; slow down a little');
    }
    const { userIds } = parseInput(PresenceSubscribePayloadSchema, payload);
    // Partner rooms first, so a partner is never mistaken for a subscription.
    await partnersJoined;
    const wanted = new Set(userIds.filter((id) => id !== userId));
    for (const room of [...socket.rooms]) {
      const subscribed = userOfSubscribedMark(room);
      if (subscribed !== null && !wanted.has(subscribed)) {
        void socket.leave(room);
        void socket.leave(presenceRoom(subscribed));
      }
    }
    const joins = [...wanted]
      .filter((id) => !socket.rooms.has(presenceRoom(id)))
      .flatMap((id) => [presenceRoom(id), subscribedMark(id)]);
    if (socket.connected && joins.length > 0) await socket.join(joins);
    // Read after joining: a change from here on arrives as an event.
    return { ok: true, users: await presence.statesOf([...wanted]) };
  }

  socket.on('presence_subscribe', (payload: unknown, ack: unknown) => {
    const reply = typeof ack === 'function' ? (ack as (result: PresenceSubscribeAck | FailedAck) => void) : () => {};
    subscribe(payload).then(reply, (error: unknown) => {
      const appError = toAppError(error);
      if (appError.code === 'INTERNAL_ERROR') logger.error({ err: error }, 'presence_subscribe failed');
      reply({ ok: false, error: appError.toJSON() });
    });
  });
}
