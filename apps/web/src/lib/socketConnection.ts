import { PROTOCOL_VERSION } from '@parley/protocol';
import type { ParleySocket } from './socket';

// A release is deferred by one task so that React StrictMode's mount -> unmount -> mount,
// or a provider remounting with the same token, keeps the connection it already has.
const pendingReleases = new WeakMap<ParleySocket, ReturnType<typeof setTimeout>>();

function currentToken(socket: ParleySocket): string | undefined {
  const auth = socket.auth;
  if (typeof auth !== 'object' || !('token' in auth)) return undefined;
  return typeof auth.token === 'string' ? auth.token : undefined;
}

/** Connects with `token`; reconnects cleanly when the token changed; a no-op when nothing did. */
export function connectWithToken(socket: ParleySocket, token: string): void {
  const pending = pendingReleases.get(socket);
  if (pending !== undefined) {
    clearTimeout(pending);
    pendingReleases.delete(socket);
  }
  if (socket.active && currentToken(socket) === token) return;
  if (socket.active) socket.disconnect();
  socket.auth = { token, protocolVersion: PROTOCOL_VERSION };
  socket.connect();
}

/** Disconnects at the end of this task unless someone connects again first. */
export function releaseConnection(socket: ParleySocket): void {
  if (pendingReleases.has(socket)) return;
  pendingReleases.set(
    socket,
    setTimeout(() => {
      pendingReleases.delete(socket);
      socket.auth = {};
      socket.disconnect();
    }, 0),
  );
}
