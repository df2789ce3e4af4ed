import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';

/** An id a proxy or client may pass in: short, printable, no spaces or quotes (it goes into logs). */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

const ids = new WeakMap<IncomingMessage, string>();

/**
 * The request id of an HTTP request or a Socket.IO handshake (the engine.io handshake is an HTTP
 * request too): a sane incoming `X-Request-Id` (set by a proxy, say), else a new UUID. Memoized
 * per request, so the access log, the response header and the socket log agree.
 */
export function requestIdOf(req: IncomingMessage): string {
  let id = ids.get(req);
  if (id === undefined) {
    const incoming = req.headers[REQUEST_ID_HEADER];
    id = typeof incoming === 'string' && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    ids.set(req, id);
  }
  return id;
}
