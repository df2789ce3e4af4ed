import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declaredMetrics, scrapeMetrics } from '../../test/metricsText.js';
import { startTestServer, type TestServer } from '../../test/testServer.js';

// deploy/ is for people and Docker, not for tests, so check here what a typo would silently break:
// every metric the dashboard and the alerts query must be one the app really exposes.
const repoRoot = fileURLToPath(new URL('../../../../../', import.meta.url));
const read = (file: string) => readFileSync(path.join(repoRoot, file), 'utf8');
const METRIC_NAME = /\b(?:parley|nodejs|process)_[a-z0-9_]+\b/g;

interface Dashboard {
  uid: string;
  panels: { type: string; title: string; targets?: { expr: string }[] }[];
  templating: { list: { query: unknown }[] };
}

let server: TestServer;
let declared: Map<string, string>;
beforeAll(async () => {
  server = await startTestServer({ metricsToken: 'deploy-test-token-0123456789' });
  declared = declaredMetrics(await scrapeMetrics(server.url, 'deploy-test-token-0123456789'));
});
afterAll(async () => {
  await server.close();
});

/** A name the exposition has: a family, or a histogram's _bucket/_sum/_count series. */
function exposed(name: string): boolean {
  if (declared.has(name)) return true;
  const base = name.replace(/_(bucket|sum|count)$/, '');
  return base !== name && declared.get(base) === 'histogram';
}

describe('deploy/', () => {
  it('the Grafana dashboard parses and queries only metrics /metrics exposes', () => {
    const dashboard = JSON.parse(read('deploy/grafana/dashboards/parley.json')) as Dashboard;
    expect(dashboard.uid).toBe('parley-overview');
    const graphs = dashboard.panels.filter((panel) => panel.type !== 'row');
    expect(graphs.length).toBeGreaterThan(10);
    const queries = [
      ...graphs.flatMap((panel) => {
        expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
        return panel.targets!.map((target) => target.expr);
      }),
      ...dashboard.templating.list.map((variable) => JSON.stringify(variable.query)),
    ];
    const used = new Set<string>();
    for (const query of graphs.flatMap((panel) => panel.targets!.map((target) => target.expr))) {
      const names = query.match(METRIC_NAME) ?? [];
      expect(names.length, query).toBeGreaterThan(0);
    }
    for (const query of queries) for (const name of query.match(METRIC_NAME) ?? []) used.add(name);
    expect([...used].filter((name) => !exposed(name))).toEqual([]);
    // And every Parley metric has a panel.
    const parleyFamilies = [...declared.keys()].filter((name) => name.startsWith('parley_'));
    expect(parleyFamilies.filter((family) => ![...used].some((name) => name.startsWith(family)))).toEqual([]);
  });

  it('the alert rules query only metrics /metrics exposes', () => {
    const expressions = [...read('deploy/prometheus/alerts.yml').matchAll(/^\s+expr: (.+)$/gm)].map((match) => match[1]!);
    expect(expressions.length).toBeGreaterThan(3);
    const names = expressions.flatMap((expression) => expression.match(METRIC_NAME) ?? []);
    expect(names.filter((name) => !exposed(name))).toEqual([]);
  });

  it('the compose monitoring profile mounts files that exist', () => {
    const compose = read('docker-compose.yml');
    expect(compose).toMatch(/profiles: \[monitoring\]/);
    const mounted = [...compose.matchAll(/- \.\/(deploy\/[^:\s]+):/g)].map((match) => match[1]!);
    expect(mounted.length).toBeGreaterThanOrEqual(4);
    expect(mounted.filter((file) => !existsSync(path.join(repoRoot, file)))).toEqual([]);
  });
});
