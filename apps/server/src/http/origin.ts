import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import proxyaddr from 'proxy-addr';
import type { TrustProxy } from '../config.js';

/**
 * The origin rule shared by the cookie routes and the socket handshake (ADR 0005). Origins are
 * compared whole: scheme, host and port.
 * - No Origin header: not a browser (browsers always send one on POST and WebSocket),
 *   so no cross-site request forgery is possible; allowed.
 * - The request's own origin (the app itself, or the Vite dev proxy on any LAN address): allowed.
 * - Otherwise only origins listed in ALLOWED_ORIGINS.
 */
export function isAllowedOrigin(
  origin: string | undefined,
  ownOrigin: string | undefined,
  allowedOrigins: readonly string[],
): boolean {
  if (origin === undefined) return true;
  const presented = normalizedOrigin(origin);
  if (presented === undefined) return false;
  if (allowedOrigins.some((allowed) => normalizedOrigin(allowed) === presented)) return true;
  return ownOrigin !== undefined && presented === ownOrigin;
}

/** `scheme://host[:port]` with default ports dropped; undefined for anything else (`null`, garbage). */
function normalizedOrigin(value: string): string | undefined {
  try {
    const origin = new URL(value).origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}

/** The origin a request was addressed to, from its scheme and Host header. */
export function ownOriginOf(protocol: string, host: string | undefined): string | undefined {
  return host ? normalizedOrigin(`${protocol}://${host}`) : undefined;
}

export type TrustFunction = (address: string | undefined, hop: number) => boolean;

/** TRUST_PROXY as Express reads it (`trust proxy`): which hops may speak for the client. */
export function compileTrust(trustProxy: TrustProxy): TrustFunction {
  if (trustProxy === false) return () => false;
  if (typeof trustProxy === 'number') return (_address, hop) => hop < trustProxy;
  const trusted = proxyaddr.compile(trustProxy);
  return (address, hop) => address !== undefined && trusted(address, hop);
}

/** The scheme of a raw request (the socket handshake), as Express's `req.protocol` computes it. */
export function protocolOf(req: IncomingMessage, trust: TrustFunction): string {
  const own = (req.socket as Partial<TLSSocket>).encrypted ? 'https' : 'http';
  if (!trust(req.socket.remoteAddress, 0)) return own;
  const forwarded = req.headers['x-forwarded-proto'];
  const header = (Array.isArray(forwarded) ? forwarded[0] : forwarded) ?? own;
  return header.split(',')[0]!.trim() || own;
}
