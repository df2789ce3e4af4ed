import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, RequestHandler } from 'express';
import type { Logger as PinoLogger } from 'pino';
import { pinoHttp } from 'pino-http';
import { secondsSince, type Metrics } from '../lib/metrics.js';
import { REQUEST_ID_HEADER, requestIdOf } from './requestId.js';
import { routePatternOf, trackRoutePattern } from './routePattern.js';

/** Load-balancer probes and scrapes: logged at debug, or they drown everything else. */
const QUIET_PATHS = /^\/(?:api\/health(?:\/|$|\?)|metrics(?:$|\?))/;

function pathOf(req: IncomingMessage): string {
  return (req as Request).originalUrl ?? req.url ?? '';
}

/**
 * One JSON line per request with its request id (also echoed as `X-Request-Id`), method, path,
 * status and time. Only what is listed here is logged of a request: no headers (cookies, tokens)
 * and no bodies (passwords, message contents); the logger's `redact` is the second guard.
 */
export function requestLogger(logger: PinoLogger): RequestHandler {
  return pinoHttp({
    logger,
    // req.log (and so every line about this request) carries just `reqId`; the access line adds `req`.
    quietReqLogger: true,
    genReqId(req: IncomingMessage, res: ServerResponse) {
      const id = requestIdOf(req);
      res.setHeader(REQUEST_ID_HEADER, id);
      return id;
    },
    customLogLevel(req, res, error) {
      // A 503 from a probe is its answer (draining, database down), not a failure of ours.
      if (QUIET_PATHS.test(pathOf(req))) return 'debug';
      return error || res.statusCode >= 500 ? 'error' : 'info';
    },
    // pino-http invents an Error("failed with status code 5xx") with a stack for every 5xx; the
    // real error, if any, is logged once by the error handler with the same reqId.
    customErrorObject: (_req, _res, _error, value: Record<string, unknown>) => ({ ...value, err: undefined }),
    customSuccessMessage: (req, res) => `${req.method} ${pathOf(req).split('?')[0]} ${res.statusCode}`,
    customErrorMessage: (req, res) => `${req.method} ${pathOf(req).split('?')[0]} ${res.statusCode}`,
    serializers: {
      req: (req: { method: string; url: string; remoteAddress?: string; headers: Record<string, unknown> }) => ({
        method: req.method,
        url: req.url,
        remoteAddress: req.remoteAddress,
        userAgent: req.headers['user-agent'],
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  });
}

/** Times every request into parley_http_request_duration_seconds, by route pattern (bounded). */
export function requestMetrics(metrics: Metrics): RequestHandler[] {
  const timer: RequestHandler = (req, res, next) => {
    const startedAt = performance.now();
    res.once('finish', () => metrics.httpRequest(req.method, routePatternOf(req), res.statusCode, secondsSince(startedAt)));
    next();
  };
  return [trackRoutePattern(), timer];
}
