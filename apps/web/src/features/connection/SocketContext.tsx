import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { SOCKET_CLIENT_TOO_OLD, SOCKET_UNAUTHORIZED, SessionExpiredEventSchema } from '@parley/protocol';
import { getSocket, type ParleySocket } from '../../lib/socket';
import { connectWithToken, releaseConnection } from '../../lib/socketConnection';
import { SocketContext, type ConnectionState } from '../../lib/socketContext';
import { listen } from '../../lib/socketEvents';

/** Refused handshakes in a row (each after a successful refresh) before we give up the session. */
const MAX_REFUSED_HANDSHAKES = 2;

/**
 * The browser's "offline" comes first: a socket can look connected for a while after the
 * network went away, and nothing sent through it then would arrive.
 */
function readConnectionState(socket: ParleySocket): ConnectionState {
  if (typeof navigator !== 'undefined' && !navigator.onLine) return 'offline';
  if (socket.connected) return 'connected';
  return socket.active ? 'connecting' : 'offline';
}

interface SocketProviderProps {
  token: string;
  /** A fresh access token (the new token reconnects us), or null when the session is gone. */
  refresh(): Promise<unknown>;
  logout(): Promise<unknown>;
  /** The server ended this session (`SESSION_REVOKED`): no refresh can help, sign out with a reason. */
  onSessionEnded(): void;
  children: ReactNode;
}

/**
 * Owns the socket's life for a signed-in session: connected while `token` exists, reconnected
 * with each new token, renewed when the server says the token is no longer good, and stopped
 * for good when the server says this client is too old to talk to it.
 */
export function SocketProvider({ token, refresh, logout, onSessionEnded, children }: SocketProviderProps) {
  const socket = useMemo(() => getSocket(), []);
  // This provider exists only with a token, and connecting is the first thing it does.
  const [connection, setConnection] = useState<ConnectionState>(() => (socket.connected ? 'connected' : 'connecting'));
  const [outdated, setOutdated] = useState(false);

  useEffect(() => {
    if (outdated) return;
    connectWithToken(socket, token);
    setConnection(readConnectionState(socket));
    return () => releaseConnection(socket);
  }, [socket, token, outdated]);

  useEffect(() => {
    const update = () => setConnection(readConnectionState(socket));
    socket.on('connect', update);
    socket.on('disconnect', update);
    socket.on('connect_error', update);
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => {
      socket.off('connect', update);
      socket.off('disconnect', update);
      socket.off('connect_error', update);
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
    };
  }, [socket]);

  // A refused handshake or an expired session: get a new token; the new token reconnects us.
  const refusedInARow = useRef(0);
  useEffect(() => {
    const renew = () => {
      refusedInARow.current += 1;
      if (refusedInARow.current > MAX_REFUSED_HANDSHAKES) {
        void logout();
        return;
      }
      void refresh();
    };
    const onConnectError = (error: Error & { data?: unknown }) => {
      // An ended session (signed out elsewhere, revoked, password changed) cannot be renewed.
      if (error.message === SOCKET_UNAUTHORIZED) {
        if (isSessionRevoked(error.data)) onSessionEnded();
        else renew();
      }
      if (error.message === SOCKET_CLIENT_TOO_OLD) {
        // Retrying cannot help: this page's code is older than the server's. Stop, and say so.
        socket.disconnect();
        setOutdated(true);
      }
    };
    const onConnect = () => {
      refusedInARow.current = 0;
    };
    socket.on('connect_error', onConnectError);
    const stopSessionExpired = listen(socket, 'session_expired', ({ code }) => {
      if (code === 'SESSION_REVOKED') onSessionEnded();
      else renew();
    });
    socket.on('connect', onConnect);
    return () => {
      socket.off('connect_error', onConnectError);
      stopSessionExpired();
      socket.off('connect', onConnect);
    };
  }, [socket, refresh, logout, onSessionEnded]);

  const value = useMemo(() => ({ socket, connection: outdated ? ('outdated' as const) : connection }), [socket, connection, outdated]);
  return <SocketContext.Provider value={value}>{children}</SocketContext.Provider>;
}

/** A handshake refusal's `data` carries `{ code }` like `session_expired` does. */
function isSessionRevoked(data: unknown): boolean {
  const parsed = SessionExpiredEventSchema.safeParse(data);
  return parsed.success && parsed.data.code === 'SESSION_REVOKED';
}
