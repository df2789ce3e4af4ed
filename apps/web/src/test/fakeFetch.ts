import { vi } from 'vitest';

export interface FakeRoute {
  status?: number;
  body?: unknown;
}

type RouteHandler = (request: { url: string; method: string; body: unknown; headers: Record<string, string> }) => FakeRoute;

/**
 * Replaces global fetch with a router: `routes['POST /api/auth/login'] = () => ({ body })`.
 * Unrouted requests answer 404 so a test notices them.
 */
export function installFakeFetch(routes: Record<string, RouteHandler> = {}) {
  const calls: { method: string; url: string; body: unknown; headers: Record<string, string> }[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = String(input);
    const method = init.method ?? 'GET';
    const body: unknown = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
    const headers = (init.headers ?? {}) as Record<string, string>;
    calls.push({ method, url, body, headers });
    const path = url.split('?')[0];
    const handler = routes[`${method} ${path}`];
    const route = handler ? handler({ url, method, body, headers }) : { status: 404, body: { error: { code: 'NOT_FOUND', message: 'Not found' } } };
    const status = route.status ?? 200;
    return new Response(status === 204 ? null : JSON.stringify(route.body ?? {}), {
      status,
      headers: { 'Content-Type': 'application/json' },
    });
  });
  vi.stubGlobal('fetch', fetchMock);
  return { routes, calls };
}

export const unauthorized: FakeRoute = {
  status: 401,
  body: { error: { code: 'UNAUTHORIZED', message: 'Not signed in' } },
};
