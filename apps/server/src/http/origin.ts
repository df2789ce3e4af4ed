/**
 * The origin rule shared by the cookie routes and the socket handshake.
 * - No Origin header: not a browser (browsers always send one on POST and WebSocket),
 *   so no cross-site request forgery is possible; allowed.
 * - Same host as the request (the app itself, or the Vite dev proxy on any LAN address): allowed.
 * - Otherwise only origins listed in ALLOWED_ORIGINS.
 */
export function isAllowedOrigin(
  origin: string | undefined,
  host: string | undefined,
  allowedOrigins: readonly string[],
): boolean {
  if (origin === undefined) return true;
  if (allowedOrigins.includes(origin)) return true;
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}
