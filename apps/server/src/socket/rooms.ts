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
