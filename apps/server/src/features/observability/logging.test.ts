import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SendMessageAck } from '@parley/protocol';
import { lineLogger } from '../../lib/logger.js';
import { connectedSocket, openSocket, postJson, refreshCookieOf, registerUser, sleep, uniqueUsername } from '../../test/clients.js';
import { startTestServer, type TestServer } from '../../test/testServer.js';
import { io as connectClient } from 'socket.io-client';

/** Every line the server logs, at debug level (stricter than the info level the rule is about). */
const lines: Record<string, unknown>[] = [];

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({}, { logger: lineLogger('debug', (line) => lines.push(JSON.parse(line) as Record<string, unknown>)) });
});
afterAll(async () => {
  await server.close();
});

const logged = () => lines.map((line) => JSON.stringify(line)).join('\n');

describe('logs', () => {
  it('never contain the password, a token or a message’s content', async () => {
    const password = 'a very secret passphrase 42';
    const username = uniqueUsername('logs');
    const registered = await postJson(`${server.url}/api/auth/register`, { username, password });
    expect(registered.status).toBe(201);
    const login = await postJson(`${server.url}/api/auth/login`, { username, password });
    expect(login.status).toBe(200);
    const { accessToken, user } = (await login.json()) as { accessToken: string; user: { id: string } };
    const refreshCookie = refreshCookieOf(login);
    // The cookie and the token travel in headers of later requests, too.
    await fetch(`${server.url}/api/auth/refresh`, { method: 'POST', headers: { cookie: refreshCookie } });
    await fetch(`${server.url}/api/users`, { headers: { authorization: `Bearer ${accessToken}` } });

    const partner = await registerUser(server.url);
    const socket = await connectedSocket(server.url, accessToken);
    const content = `secret content ${Math.random().toString(36).slice(2)}`;
    const ack: SendMessageAck = await socket.socket.emitWithAck('send_message', { receiverId: partner.user.id, content });
    expect(ack.ok).toBe(true);
    socket.close();
    await sleep(100);

    const text = logged();
    expect(text).toContain(user.id); // the socket log names the user...
    expect(text).toContain('POST /api/auth/login 200'); // ...and the login was logged
    for (const secret of [password, accessToken, refreshCookie.split('=')[1]!, partner.accessToken, content]) {
      expect(text).not.toContain(secret);
    }
  });

  it('give every request an id, honor a sane incoming X-Request-Id and echo it', async () => {
    const honored = await fetch(`${server.url}/api/health/live`, { headers: { 'x-request-id': 'lb-trace-123' } });
    expect(honored.headers.get('x-request-id')).toBe('lb-trace-123');
    const replaced = await fetch(`${server.url}/api/health/live`, { headers: { 'x-request-id': 'has spaces "and quotes"' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const generated = await fetch(`${server.url}/api/users/nope`);
    const id = generated.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const line = lines.find((entry) => entry.reqId === id);
    expect(line).toMatchObject({ level: 30, req: { method: 'GET', url: '/api/users/nope' }, res: { statusCode: 401 } });
    expect(JSON.stringify(line)).not.toMatch(/authorization|cookie/i);
  });

  it('carry the handshake’s request id into the socket connected and refused lines', async () => {
    const user = await registerUser(server.url);
    const socket = connectClient(server.url, {
      auth: { token: user.accessToken },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      extraHeaders: { 'x-request-id': 'handshake-trace-1' },
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    socket.disconnect();
    const refused = openSocket(server.url, user.accessToken.slice(0, -4) + 'AAAA');
    await refused.refused();
    refused.close();
    await sleep(100);

    expect(lines).toContainEqual(expect.objectContaining({ msg: 'socket connected', reqId: 'handshake-trace-1', userId: user.user.id }));
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'socket disconnected', reqId: 'handshake-trace-1', userId: user.user.id }));
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'socket refused', reason: 'unauthorized', reqId: expect.any(String) }));
    expect(logged()).not.toContain(user.accessToken.slice(0, 40));
  });
});
