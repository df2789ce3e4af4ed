import { describe, expect, it } from 'vitest';
import { registerUser } from '../test/clients.js';
import { serverForThisFile, startTestServer } from '../test/testServer.js';
import { lineLogger } from '../lib/logger.js';

const files = serverForThisFile();

describe('HTTP hardening', () => {
  it('answers every /api response with Cache-Control: no-store, errors included', async () => {
    const user = await registerUser(files.server.url);
    const answers = await Promise.all([
      fetch(`${files.server.url}/api/health`),
      fetch(`${files.server.url}/api/users/me`, { headers: { authorization: `Bearer ${user.accessToken}` } }),
      fetch(`${files.server.url}/api/users/me`),
      fetch(`${files.server.url}/api/nope`),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 401, 404]);
    for (const answer of answers) expect(answer.headers.get('cache-control')).toBe('no-store');
  });

  it('sends a CSP whose styles come from the app’s own files only', async () => {
    const response = await fetch(`${files.server.url}/api/health`);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/style-src 'self'(;|$)/);
    expect(csp).not.toContain('unsafe-inline');
  });

  it('answers a malformed percent-escape in the path with 400, logging no error', async () => {
    const errors: unknown[] = [];
    const logger = lineLogger('error', (line) => errors.push(line));
    const server = await startTestServer({}, { logger });
    try {
      const user = await registerUser(server.url);
      const headers = { authorization: `Bearer ${user.accessToken}` };
      const malformed = await fetch(`${server.url}/api/messages/%E0%A4%A`, { headers });
      expect(malformed.status).toBe(400);
      const body = (await malformed.json()) as { error: { code: string } };
      expect(body.error.code).toBe('VALIDATION_ERROR');
      expect(JSON.stringify(body)).not.toMatch(/URIError|at .*\.js/);
      // Where no route takes a parameter there is nothing to decode: simply no such route.
      expect((await fetch(`${server.url}/api/users/%E0%A4%A`, { headers })).status).toBe(404);
      expect(errors).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('refuses a cookie route from the same host under another scheme or port', async () => {
    const user = await registerUser(files.server.url);
    const { port } = files.server;
    for (const origin of [`https://127.0.0.1:${port}`, `http://127.0.0.1:${port + 1}`]) {
      const response = await fetch(`${files.server.url}/api/auth/refresh`, {
        method: 'POST',
        headers: { cookie: user.refreshCookie, origin },
      });
      expect(response.status, origin).toBe(403);
    }
    const same = await fetch(`${files.server.url}/api/auth/refresh`, {
      method: 'POST',
      headers: { cookie: user.refreshCookie, origin: `http://127.0.0.1:${port}` },
    });
    expect(same.status).toBe(200);
  });

  it('behind a trusted proxy, believes its X-Forwarded-Proto: the https page may refresh', async () => {
    const proxied = await startTestServer({ trustProxy: 1 });
    try {
      const user = await registerUser(proxied.url);
      const origin = `https://127.0.0.1:${proxied.port}`;
      const response = await fetch(`${proxied.url}/api/auth/refresh`, {
        method: 'POST',
        headers: { cookie: user.refreshCookie, origin, 'x-forwarded-proto': 'https' },
      });
      expect(response.status).toBe(200);
    } finally {
      await proxied.close();
    }
  });

  it('refuses a handshake from the same host under another scheme', async () => {
    const user = await registerUser(files.server.url);
    const { io } = await import('socket.io-client');
    const socket = io(files.server.url, {
      auth: { token: user.accessToken },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      extraHeaders: { origin: `https://127.0.0.1:${files.server.port}` },
    });
    const error = await new Promise<Error>((resolve) => socket.once('connect_error', resolve));
    expect(error).toBeInstanceOf(Error);
    expect(socket.connected).toBe(false);
    socket.disconnect();
  });
});
