import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, toAppError } from '../lib/AppError.js';
import type { Logger } from '../lib/logger.js';
import { noopMetrics, type Metrics } from '../lib/metrics.js';
import { routePatternOf } from './routePattern.js';

/** body-parser's errors carry a `type`; map the ones a client causes to our codes. */
function fromBodyParser(error: unknown): AppError | undefined {
  const type = (error as { type?: unknown } | null)?.type;
  if (type === 'entity.too.large') return new AppError('PAYLOAD_TOO_LARGE', 'The request body is too large');
  if (type === 'entity.parse.failed') return new AppError('VALIDATION_ERROR', 'The request body is not valid JSON');
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return new AppError('VALIDATION_ERROR', 'The request body encoding is not supported');
  }
  return undefined;
}

/** The router could not decode a percent-escape in the path (`/api/users/%E0%A4%A`): the client's fault. */
function fromMalformedPath(error: unknown): AppError | undefined {
  if (error instanceof URIError) return new AppError('VALIDATION_ERROR', 'The request path has a malformed escape');
  return undefined;
}

export function errorHandler(logger: Logger, metrics: Metrics = noopMetrics): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const appError = fromBodyParser(error) ?? fromMalformedPath(error) ?? toAppError(error);
    if (appError.code === 'INTERNAL_ERROR' || appError.code === 'STORE_UNAVAILABLE') {
      // req.log (the request logger's child) carries the request id.
      ((req as { log?: Logger }).log ?? logger).error({ err: error, method: req.method, path: req.path }, 'request failed');
    }
    if (appError.code === 'RATE_LIMITED') {
      metrics.rateLimited(`${req.method} ${routePatternOf(req)}`);
    }
    if (appError.retryAfterSeconds !== undefined) res.set('Retry-After', String(appError.retryAfterSeconds));
    res.status(appError.status).json({ error: appError.toJSON() });
  };
}

export const notFoundHandler: RequestHandler = () => {
  throw new AppError('NOT_FOUND', 'No such route');
};
