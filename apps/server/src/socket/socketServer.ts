import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import { SOCKET_UNAUTHORIZED } from '@parley/protocol';
import type { AccessTokens } from '../features/auth/tokens.js';
import type { SessionEndAnnouncer } from '../features/auth/sessions.service.js';
import type { IsSessionRevoked } from '../http/authenticate.js';
import { isAllowedOrigin, ownOriginOf, protocolOf, type TrustFunction } from '../http/origin.js';
import { AppError } from '../lib/AppError.js';
import type { AppServer, AppSocket } from './types.js';
import { sessionRoom, userRoom } from './rooms.js';

/** Socket.IO frames are small JSON; a 4,000-character message fits many times over. */
export const MAX_SOCKET_PAYLOAD_BYTES = 64 * 1024;

interface SocketServerOptions {
  allowedOrigins: readonly string[];
  accessTokens: AccessTokens;
  isSessionRevoked: IsSessionRevoked;
  /** Which proxies may say the request's scheme (X-Forwarded-Proto), as for HTTP routes. */
  trustProxy: TrustFunction;
  /** Called for each authenticated socket once it has joined its user's room. */
  onConnection(socket: AppSocket): void;
}

/** Socket.IO on the app's own HTTP server: origin allowlist, token handshake, expiry. */
export function createSocketServer(httpServer: HttpServer, options: SocketServerOptions): AppServer {
  const io: AppServer = new Server(httpServer, {
    maxHttpBufferSize: MAX_SOCKET_PAYLOAD_BYTES,
    serveClient: false,
    // The handshake itself checks Origin; CORS headers alone do not stop a WebSocket.
    allowRequest: (req, callback) => {
      const ownOrigin = ownOriginOf(protocolOf(req, options.trustProxy), req.headers.host);
      callback(null, isAllowedOrigin(req.headers.origin, ownOrigin, options.allowedOrigins));
    },
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
    options.onConnection(socket);
    // A session ended between the handshake's check and joining its room was told to nobody here.
    if (sessionId) {
      void options.isSessionRevoked(sessionId).then((revoked) => {
        if (revoked && socket.connected) endSessionSocket(socket);
      });
    }
  });

  return io;
}

/** Closes a socket of an ended session, saying why. `disconnect(true)` is the explicit path presence knows. */
function endSessionSocket(socket: AppSocket): void {
  socket.emit('session_expired', { code: 'SESSION_REVOKED' });
  socket.disconnect(true);
}

/** Ended sessions' sockets, wherever they are, are told and closed at once through their rooms. */
export function socketSessionAnnouncer(io: () => AppServer): SessionEndAnnouncer {
  return {
    ended(sessionIds) {
      if (sessionIds.length === 0) return;
      const rooms = sessionIds.map(sessionRoom);
      io().in(rooms).emit('session_expired', { code: 'SESSION_REVOKED' });
      io().in(rooms).disconnectSockets(true);
    },
  };
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
