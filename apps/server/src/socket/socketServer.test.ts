import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectedSocket, openSocket, registerUser, sleep, type TestUser } from '../test/clients.js';
import { startTestServer, TEST_JWT_SECRET, type TestServer } from '../test/testServer.js';

let server: TestServer;
let alice: TestUser;
beforeAll(async () => {
  server = await startTestServer();
  alice = await registerUser(server.url);
});
afterAll(async () => {
  await server.close();
});

const secret = new TextEncoder().encode(TEST_JWT_SECRET);
const now = () => Math.floor(Date.now() / 1000);

/** A token shaped like the server's own access tokens, with one thing changed per case. */
function accessToken(changes: { issuedAt?: number; expiresAt?: number; key?: Uint8Array; audience?: string; sid?: string | null }) {
  const sid = changes.sid === undefined ? '0123456789abcdef01234567' : changes.sid;
  return new SignJWT(sid === null ? {} : { sid })
    .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
    .setSubject(alice.user.id)
    .setIssuer('parley')
    .setAudience(changes.audience ?? 'parley-web')
    .setIssuedAt(changes.issuedAt ?? now())
    .setExpirationTime(changes.expiresAt ?? now() + 600)
    .sign(changes.key ?? secret);
}

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

async function serverSocketsOf(userId: string) {
  const sockets = await server.app.io.fetchSockets();
  return sockets.filter((socket) => socket.data.userId === userId);
}

describe('socket handshake: unauthorized connections are refused', () => {
  const cases: [string, () => Promise<unknown>][] = [
    ['a missing token', async () => undefined],
    ['a malformed token', async () => 'not.a.jwt'],
    ['a token that is not a string', async () => ({ $ne: null })],
    ['an expired token', () => accessToken({ issuedAt: now() - 3600, expiresAt: now() - 60 })],
    ['a token signed with the wrong secret', () => accessToken({ key: new TextEncoder().encode('another-secret-of-at-least-32-bytes-long') })],
    [
      'an alg:none token',
      async () =>
        `${base64url({ alg: 'none', typ: 'at+jwt' })}.${base64url({
          sub: alice.user.id,
          iss: 'parley',
          aud: 'parley-web',
          iat: now(),
          exp: now() + 600,
        })}.`,
    ],
    ['a refresh token offered as access token', async () => alice.refreshCookie.split('=')[1]],
    ['a token for another audience', () => accessToken({ audience: 'someone-else' })],
    ['a token without a session id (sid)', () => accessToken({ sid: null })],
    ['a token whose exp lies beyond the access-token lifetime (maxTokenAge)', () =>
      accessToken({ issuedAt: now() - 1000, expiresAt: now() + 3600 })],
  ];

  it.each(cases)('refuses %s with UNAUTHORIZED before connection', async (_label, makeToken) => {
    const before = (await server.app.io.fetchSockets()).length;
    const client = openSocket(server.url, await makeToken());
    const error = await client.refused();
    expect(error.message).toBe('UNAUTHORIZED');
    expect(client.received).toEqual([]);
    expect((await server.app.io.fetchSockets()).length).toBe(before);
    client.close();
  });

  it('accepts the same hand-made token with nothing changed (so each refusal above is its change)', async () => {
    const client = openSocket(server.url, await accessToken({}));
    await client.connected();
    client.close();
  });

  it('refuses a browser from a foreign origin at the handshake itself', async () => {
    const { io } = await import('socket.io-client');
    const socket = io(server.url, {
      auth: { token: alice.accessToken },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      extraHeaders: { origin: 'http://evil.example' },
    });
    const error = await new Promise<Error>((resolve) => socket.once('connect_error', resolve));
    expect(error).toBeInstanceOf(Error);
    expect(socket.connected).toBe(false);
    socket.disconnect();
  });
});

describe('socket handshake: authorized users', () => {
  it('connect, and the server knows the user only from the token', async () => {
    const client = await connectedSocket(server.url, alice.accessToken);
    const [serverSide] = await serverSocketsOf(alice.user.id);
    expect(serverSide?.data.userId).toBe(alice.user.id);
    client.close();
  });

  it('multiple tabs create multiple sockets; a refresh creates a new socket id', async () => {
    const tabOne = await connectedSocket(server.url, alice.accessToken);
    const tabTwo = await connectedSocket(server.url, alice.accessToken);
    expect(tabOne.socket.id).not.toBe(tabTwo.socket.id);
    expect((await serverSocketsOf(alice.user.id)).length).toBe(2);

    const firstId = tabOne.socket.id;
    tabOne.close();
    const reloaded = await connectedSocket(server.url, alice.accessToken);
    expect(reloaded.socket.id).not.toBe(firstId);
    reloaded.close();
    tabTwo.close();
  });

  it('a client disconnect (logout, unmount) leaves no socket behind on the server', async () => {
    const bob = await registerUser(server.url);
    const client = await connectedSocket(server.url, bob.accessToken);
    expect((await serverSocketsOf(bob.user.id)).length).toBe(1);
    client.close();
    await sleep(50);
    expect((await serverSocketsOf(bob.user.id)).length).toBe(0);
  });
});

describe('token expiry', () => {
  it('disconnects a socket when its access token expires, saying why', async () => {
    // Two seconds, not one: JWT expiry has whole-second resolution, and a loaded machine can
    // spend most of a second between registering and the handshake.
    const shortLived = await startTestServer({
      jwt: { secret, issuer: 'parley', audience: 'parley-web', accessTtlSeconds: 2 },
    });
    try {
      const user = await registerUser(shortLived.url);
      const client = await connectedSocket(shortLived.url, user.accessToken);
      const reason = await new Promise<string>((resolve) => client.socket.once('disconnect', resolve));
      expect(reason).toBe('io server disconnect');
      expect(client.events('session_expired')).toEqual([{ code: 'TOKEN_EXPIRED' }]);
    } finally {
      await shortLived.close();
    }
  });
});
