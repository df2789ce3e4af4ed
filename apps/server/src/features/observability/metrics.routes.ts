import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { AppError } from '../../lib/AppError.js';
import type { PrometheusMetrics } from './prometheusMetrics.js';

/**
 * GET /metrics on the public port: only with `Authorization: Bearer <METRICS_TOKEN>`. Without a
 * token configured the route is not mounted at all (see docs/decisions/0015-operability-metrics-health-logs.md).
 */
export function metricsRoute(metrics: PrometheusMetrics, token: string): RequestHandler {
  const expected = Buffer.from(`Bearer ${token}`);
  return async (req, res) => {
    const presented = Buffer.from(req.get('authorization') ?? '');
    // Constant time, so the token cannot be guessed a byte at a time.
    if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
      res.set('WWW-Authenticate', 'Bearer realm="metrics"');
      throw new AppError('UNAUTHORIZED', 'The metrics token is required');
    }
    const { contentType, body } = await metrics.render();
    res.type(contentType).set('Cache-Control', 'no-store').send(body);
  };
}
