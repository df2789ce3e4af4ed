import type { IncomingMessage } from 'node:http';
import type { AppServer } from './types.js';

type Middleware = Parameters<AppServer['use']>[0];

/**
 * Reports every handshake refusal once, whichever middleware says no (origin aside: engine.io
 * refuses that before any middleware). Wraps `io.use`, so it must run before any middleware is
 * added: middlewares added later (token, protocol version, connection limits) need no hook.
 */
export function reportRefusals(io: AppServer, onRefused: (request: IncomingMessage, code: string) => void): void {
  const use = io.use.bind(io);
  io.use = (middleware: Middleware) =>
    use((socket, next) =>
      middleware(socket, (error) => {
        if (error) {
          const code = (error as { data?: { code?: unknown } }).data?.code;
          onRefused(socket.request, typeof code === 'string' ? code : 'UNKNOWN');
        }
        next(error);
      }),
    );
}
