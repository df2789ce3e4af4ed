import type { Request, RequestHandler } from 'express';

const patterns = new WeakMap<Request, string>();

/**
 * Remembers the full pattern of the route a request matched (`/api/users/:id`, never the raw
 * URL: metric labels must stay a bounded set). Express knows `req.baseUrl` only while the
 * request is inside the router (it is restored on the way out, so an error handler or a
 * `finish` listener sees the outer one): the pattern is read the moment Express sets `req.route`.
 */
export function trackRoutePattern(): RequestHandler {
  return (req, _res, next) => {
    let route: unknown = req.route;
    Object.defineProperty(req, 'route', {
      configurable: true,
      enumerable: true,
      get: () => route,
      set(value: { path?: unknown } | undefined) {
        route = value;
        if (value?.path !== undefined) patterns.set(req, `${req.baseUrl}${String(value.path)}`);
      },
    });
    next();
  };
}

/** The matched route's full pattern, or `unmatched` (404s, static files). */
export function routePatternOf(req: Request): string {
  return patterns.get(req) ?? 'unmatched';
}
