import { createServer, type Server } from 'node:http';
import type { PrometheusMetrics } from './prometheusMetrics.js';

/**
 * METRICS_PORT: a listener of its own for GET /metrics, on the loopback interface only (a
 * node-local agent or sidecar scrapes it), no token. main.ts starts it; app.ts never listens.
 */
export async function startMetricsServer(metrics: PrometheusMetrics, port: number, host = '127.0.0.1'): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: try GET /metrics\n');
      return;
    }
    metrics.render().then(
      ({ contentType, body }) => res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' }).end(body),
      () => res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics collection failed\n'),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}
