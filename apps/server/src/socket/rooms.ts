/** Every socket of a user joins that user's room, so "all of a user's sockets" is one address. */
export function userRoom(userId: string): string {
  return `user:${userId}`;
}

/**
 * Every socket joins its session's room too: ending a session closes exactly its sockets, on
 * whichever node they are (the room reaches through the adapter).
 */
export function sessionRoom(sessionId: string): string {
  return `session:${sessionId}`;
}

/**
 * The sockets watching a user's presence (their conversation partners' sockets, and sockets that
 * subscribed): an announcement is one emit to this room, O(watchers), on one node or many.
 */
export function presenceRoom(userId: string): string {
  return `presence:${userId}`;
}

const SUBSCRIBED_PREFIX = 'presence-subscribed:';

/**
 * A marker room nobody emits to: this socket is in `presenceRoom(userId)` because it subscribed,
 * not because the two are partners, so a new subscription without the user may leave it.
 */
export function subscribedMark(userId: string): string {
  return `${SUBSCRIBED_PREFIX}${userId}`;
}

/** The user a `subscribedMark` room names, or null for any other room. */
export function userOfSubscribedMark(room: string): string | null {
  return room.startsWith(SUBSCRIBED_PREFIX) ? room.slice(SUBSCRIBED_PREFIX.length) : null;
}
