import { describe, expect, it } from 'vitest';
import { registerUser } from '../test/clients.js';
import { serverForThisFile, testConfig } from '../test/testServer.js';

// Every authenticated route spends the caller's REST budget: found by walking the app's routes, so
// a route added later is covered too, and one left without `authenticated` fails here unless it
// is deliberately public.

const file = serverForThisFile({ budgets: { ...testConfig().budgets, rest: { perSecond: 0.001, burst: 1 } } });

/** Routes anyone may call: each has its own per-address limit, or none (health). */
const PUBLIC = new Set([
  'POST /api/auth/register',
  'POST /api/auth/login',
  'POST /api/auth/refresh',
  'POST /api/auth/logout',
  'GET /api/health',
  'GET /api/health/live',
  'GET /api/health/ready',
]);

interface Layer {
  route?: { path: unknown; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
  rawPath?: unknown;
}

/** "METHOD /path" of every route under the router's stack (paths with string patterns only). */
function routesOf(stack: Layer[], prefix = ''): string[] {
  return stack.flatMap((layer) => {
    const path = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
    if (layer.route) {
      if (typeof layer.route.path !== 'string') return [];
      const full = `${prefix}${layer.route.path === '/' ? '' : layer.route.path}`;
      return Object.keys(layer.route.methods).map((method) => `${method.toUpperCase()} ${full}`);
    }
    return layer.handle.stack ? routesOf(layer.handle.stack, `${prefix}${path}`) : [];
  });
}

describe('REST budget', () => {
  it('every authenticated route answers 429 RATE_LIMITED with Retry-After once the caller has spent it', async () => {
    const { server } = file;
    const routes = [...new Set(routesOf((server.app.express as unknown as { router: { stack: Layer[] } }).router.stack))];
    const authenticated = routes.filter((route) => !PUBLIC.has(route));
    // The walk sees the app: the public routes and the known authenticated ones are all there.
    expect(routes).toEqual(expect.arrayContaining([...PUBLIC, 'GET /api/conversations', 'PATCH /api/users/me', 'GET /api/users', 'GET /api/messages/:userId', 'DELETE /api/auth/sessions/:id']));
    expect(authenticated.length).toBeGreaterThanOrEqual(10);

    const caller = await registerUser(server.url);
    const call = (route: string) => {
      const [method, path] = route.split(' ') as [string, string];
      return fetch(`${server.url}${path.replaceAll(/:\w+/g, '0123456789abcdef01234567')}`, {
        method,
        headers: { authorization: `Bearer ${caller.accessToken}`, 'content-type': 'application/json' },
        body: method === 'GET' ? undefined : '{}',
      });
    };
    expect((await call('GET /api/users/me')).status).toBe(200);

    for (const route of authenticated) {
      const response = await call(route);
      expect({ route, status: response.status }).toEqual({ route, status: 429 });
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('RATE_LIMITED');
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    for (const route of PUBLIC) {
      expect({ route, status: (await call(route)).status }).not.toEqual({ route, status: 429 });
    }
    // Someone else's budget is untouched.
    const other = await registerUser(server.url);
    const response = await fetch(`${server.url}/api/users/me`, { headers: { authorization: `Bearer ${other.accessToken}` } });
    expect(response.status).toBe(200);
  });
});
