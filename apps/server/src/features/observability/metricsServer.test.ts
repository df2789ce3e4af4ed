import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { declaredMetrics } from '../../test/metricsText.js';
import { startMetricsServer } from './metricsServer.js';
import { createPrometheusMetrics } from './prometheusMetrics.js';

describe('METRICS_PORT listener', () => {
  it('serves GET /metrics without a token on 127.0.0.1 only, and nothing else', async () => {
    const metrics = createPrometheusMetrics();
    metrics.messageStored();
    const server = await startMetricsServer(metrics, 0);
    try {
      const { address, port } = server.address() as AddressInfo;
      expect(address).toBe('127.0.0.1');
      const response = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(declaredMetrics(text).get('parley_messages_stored_total')).toBe('counter');
      expect(text).toMatch(/^parley_messages_stored_total 1$/m);
      expect((await fetch(`http://127.0.0.1:${port}/api/health`)).status).toBe(404);
      expect((await fetch(`http://127.0.0.1:${port}/metrics`, { method: 'POST' })).status).toBe(404);
    } finally {
      server.close();
    }
  });
});
