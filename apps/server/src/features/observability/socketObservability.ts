import type { IncomingMessage } from 'node:http';
import { REQUEST_ID_HEADER, requestIdOf } from '../../http/requestId.js';
import type { Logger } from '../../lib/logger.js';
import type { Metrics } from '../../lib/metrics.js';
import type { AppServer, AppSocket } from '../../socket/types.js';

/** engine.io's refusals of a transport request (before our auth runs), as metric reasons. */
const ENGINE_REFUSALS: Record<number, string> = {
  0: 'unknown_transport',
  1: 'unknown_session',
  2: 'bad_handshake_method',
  3: 'bad_request',
  // allowRequest said no: our Origin check (socket/socketServer.ts).
  4: 'origin_not_allowed',
  5: 'unsupported_protocol_version',
};

export interface SocketObserver {
  /** Pass as createSocketServer's `onRefused`: a handshake middleware refused with this code. */
  refused(request: IncomingMessage, code: string): void;
  /** Starts watching the server: engine refusals, the X-Request-Id header, accepted sockets. */
  watch(io: AppServer): void;
}

/**
 * Sockets as an operator sees them: handshakes accepted and refused (counted and logged with the
 * handshake's request id and, once known, the user id; never the token), connections and users
 * on this node, and every event sent, by name. The request id is echoed on the handshake
 * response as `X-Request-Id`, like on every HTTP response. Made before the Socket.IO server (its
 * `refused` goes into the server's options), then told to `watch` it.
 */
export function createSocketObserver({ metrics, logger }: { metrics: Metrics; logger: Logger }): SocketObserver {
  /** Open sockets per user on this node: O(1) per connect and per scrape. */
  const socketsByUser = new Map<string, number>();
  let sockets = 0;
  metrics.watchConnections({ sockets: () => sockets, users: () => socketsByUser.size });

  function accepted(socket: AppSocket): void {
    const { userId } = socket.data;
    const reqId = requestIdOf(socket.request);
    metrics.handshake('accepted');
    sockets += 1;
    socketsByUser.set(userId, (socketsByUser.get(userId) ?? 0) + 1);
    socket.onAnyOutgoing((event: string) => metrics.socketEmit(event));
    logger.info({ reqId, userId, socketId: socket.id, transport: socket.conn.transport.name }, 'socket connected');
    socket.on('disconnect', (reason) => {
      sockets -= 1;
      const left = (socketsByUser.get(userId) ?? 1) - 1;
      if (left > 0) socketsByUser.set(userId, left);
      else socketsByUser.delete(userId);
      logger.info({ reqId, userId, socketId: socket.id, reason }, 'socket disconnected');
    });
  }

  function refused(request: IncomingMessage, reason: string): void {
    metrics.handshake('refused', reason);
    logger.info({ reqId: requestIdOf(request), reason }, 'socket refused');
  }

  return {
    refused: (request, code) => refused(request, code.toLowerCase()),
    watch(io) {
      io.engine.on('initial_headers', (headers: Record<string, string>, req: IncomingMessage) => {
        headers[REQUEST_ID_HEADER] = requestIdOf(req);
      });
      io.engine.on('connection_error', (error: { req: IncomingMessage; code: number }) => {
        refused(error.req, ENGINE_REFUSALS[error.code] ?? 'engine_error');
      });
      io.on('connection', accepted);
    },
  };
}
