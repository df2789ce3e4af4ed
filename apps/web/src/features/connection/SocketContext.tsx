import { createContext, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { SOCKET_UNAUTHORIZED, SessionExpiredEventSchema } from '@parley/protocol';
import { getSocket, type ParleySocket } from '../../lib/socket';
import { connectWithToken, releaseConnection } from '../../lib/socketConnection';
import { useAuth } from '../auth/AuthContext';

export type ConnectionState = 'connected' | 'connecting' | 'offline';

interface SocketContextValue {
  socket: ParleySocket;
  connection: ConnectionState;
}

const SocketContext = createContext<SocketContextValue | null>(null);

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

/**
 * Owns the socket's life for a signed-in session: connected while `token` exists, reconnected
 * with each new token, renewed when the server says the token is no longer good.
 */
export function SocketProvider({ token, children }: { token: string; children: ReactNode }) {
  const socket = useMemo(() => getSocket(), []);
  const { refresh, logout, sessionEnded } = useAuth();
  // This provider exists only with a token, and connecting is the first thing it does.
  const [connection, setConnection] = useState<ConnectionState>(() => (socket.connected ? 'connected' : 'connecting'));

  useEffect(() => {
    connectWithToken(socket, token);
    setConnection(readConnectionState(socket));
    return () => releaseConnection(socket);
  }, [socket, token]);

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
    // An ended session (logout elsewhere, revoked, password changed) cannot be renewed: sign out.
    const onConnectError = (error: Error & { data?: unknown }) => {
      if (error.message !== SOCKET_UNAUTHORIZED) return;
      if (isSessionRevoked(error.data)) sessionEnded();
      else renew();
    };
    const onSessionExpired = (payload: unknown) => {
      if (isSessionRevoked(payload)) sessionEnded();
      else renew();
    };
    const onConnect = () => {
      refusedInARow.current = 0;
    };
    socket.on('connect_error', onConnectError);
    socket.on('session_expired', onSessionExpired);
    socket.on('connect', onConnect);
    return () => {
      socket.off('connect_error', onConnectError);
      socket.off('session_expired', onSessionExpired);
      socket.off('connect', onConnect);
    };
  }, [socket, refresh, logout, sessionEnded]);

  const value = useMemo(() => ({ socket, connection }), [socket, connection]);
  return <SocketContext.Provider value={value}>{children}</SocketContext.Provider>;
}

/** `session_expired` payloads and handshake refusals (`data`) alike carry `{ code }`. */
function isSessionRevoked(payload: unknown): boolean {
  const parsed = SessionExpiredEventSchema.safeParse(payload);
  return parsed.success && parsed.data.code === 'SESSION_REVOKED';
}

function useSocketContext(): SocketContextValue {
  const value = useContext(SocketContext);
  if (!value) throw new Error('Socket hooks must be used inside <SocketProvider>');
  return value;
}

export function useSocket(): ParleySocket {
  return useSocketContext().socket;
}

export function useConnectionState(): ConnectionState {
  return useSocketContext().connection;
}
