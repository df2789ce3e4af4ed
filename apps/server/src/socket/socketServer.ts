import type { IncomingMessage, Server as HttpServer } from 'node:http';
import { Server, type ServerOptions } from 'socket.io';
import { SOCKET_UNAUTHORIZED } from '@parley/protocol';
import type { AccessTokens } from '../features/auth/tokens.js';
import type { IsSessionRevoked } from '../http/authenticate.js';
import { isAllowedOrigin, ownOriginOf, protocolOf, type TrustFunction } from '../http/origin.js';
import { AppError } from '../lib/AppError.js';
import { reportRefusals } from './handshakeRefusals.js';
import { checkProtocolVersion } from './protocolVersion.js';
import type { AppServer, AppSocket } from './types.js';
import { sessionRoom, userRoom } from './rooms.js';

/** Socket.IO frames are small JSON; a 4,000-character message fits many times over. */
export const MAX_SOCKET_PAYLOAD_BYTES = 64 * 1024;
/** How long a connection may take to complete the Socket.IO handshake (issue 10: about 10 s). */
export const CONNECT_TIMEOUT_MS = 10_000;

interface SocketServerOptions {
  allowedOrigins: readonly string[];
  accessTokens: AccessTokens;
  isSessionRevoked: IsSessionRevoked;
  /** Which proxies may say the request's scheme (X-Forwarded-Proto), as for HTTP routes. */
  trustProxy: TrustFunction;
  /** Declared client protocol versions below this are refused (see protocolVersion.ts). */
  minClientProtocolVersion: number;
  /** Fan-out across nodes (the Redis adapter); the default in-memory adapter when absent. */
  adapter?: ServerOptions['adapter'];
  /** Called when a handshake middleware refuses a socket, with the code it was refused with. */
  onRefused?(request: IncomingMessage, code: string): void;
}

/**
 * Socket.IO on the app's own HTTP server: origin allowlist, token handshake (an ended session is
 * refused), expiry. Each authenticated socket joins its user's and its session's rooms first;
 * connection listeners added later (the features') run after that, in the order they were added.
 */
export function createSocketServer(httpServer: HttpServer, options: SocketServerOptions): AppServer {
  const io: AppServer = new Server(httpServer, {
    maxHttpBufferSize: MAX_SOCKET_PAYLOAD_BYTES,
    serveClient: false,
    // A connection that has not finished its handshake by then is closed (the default is 45 s):
    // half-open connections are cheap to make and must not pile up.
    connectTimeout: CONNECT_TIMEOUT_MS,
    ...(options.adapter ? { adapter: options.adapter } : {}),
    // The handshake itself checks Origin; CORS headers alone do not stop a WebSocket.
    allowRequest: (req, callback) => {
      const ownOrigin = ownOriginOf(protocolOf(req, options.trustProxy), req.headers.host);
      callback(null, isAllowedOrigin(req.headers.origin, ownOrigin, options.allowedOrigins));
    },
  });
  if (options.onRefused) reportRefusals(io, options.onRefused);

  // Before the token: a stale client told to reload beats one stuck refreshing its token.
  io.use((socket, next) => {
    const verdict = checkProtocolVersion(socket.handshake.auth, options.minClientProtocolVersion);
    if (verdict.ok) return next();
    next(Object.assign(new Error(verdict.message), { data: verdict.data }));
  });

  io.use(async (socket, next) => {
    try {
      const token: unknown = (socket.handshake.auth as Record<string, unknown> | undefined)?.token;
      const verified = await options.accessTokens.verify(token);
      if (await options.isSessionRevoked(verified.sessionId)) {
        throw new AppError('SESSION_REVOKED', 'This session has been signed out');
      }
      socket.data.userId = verified.userId;
      socket.data.sessionId = verified.sessionId;
      expireWithToken(socket, verified.expiresAt);
      next();
    } catch (error) {
      const refusal = new Error(SOCKET_UNAUTHORIZED) as Error & { data?: unknown };
      refusal.data = { code: error instanceof AppError ? error.code : 'UNAUTHORIZED' };
      next(refusal);
    }
  });

  io.on('connection', (socket) => {
    const { userId, sessionId } = socket.data;
    void socket.join(userRoom(userId));
    if (sessionId) void socket.join(sessionRoom(sessionId));
  });

  return io;
}

/** A socket lives no longer than its access token: the client refreshes and reconnects. */
function expireWithToken(socket: AppSocket, expiresAt: Date): void {
  const timer = setTimeout(() => {
    socket.emit('session_expired', { code: 'TOKEN_EXPIRED' });
    socket.disconnect(true);
  }, Math.max(0, expiresAt.getTime() - Date.now()));
  timer.unref();
  socket.on('disconnect', () => clearTimeout(timer));
}
