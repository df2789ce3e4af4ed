/** Every socket of a user joins that user's room, so "all of a user's sockets" is one address. */
export function userRoom(userId: string): string {
  return `user:${userId}`;
}
