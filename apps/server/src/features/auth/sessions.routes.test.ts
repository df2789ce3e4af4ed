import type { SessionsResponse } from '@parley/protocol';
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  connectedSocket,
  openSocket,
  postJson,
  refreshCookieOf,
  registerUser,
  signIn,
  sleep,
  type RecordingSocket,
  type TestUser,
} from '../../test/clients.js';
import { serverForThisFile, startTestServer, uniqueDbName } from '../../test/testServer.js';

// A long presence grace: a user who goes offline within it went through the explicit path.
const files = serverForThisFile({ presenceGraceMs: 60_000 });
const url = (path: string) => `${files.server.url}/api${path}`;

const bearer = (user: { accessToken: string }) => ({ authorization: `Bearer ${user.accessToken}` });
const me = (user: { accessToken: string }) => fetch(url('/users/me'), { headers: bearer(user) });
const refresh = (cookie: string) => fetch(url('/auth/refresh'), { method: 'POST', headers: { cookie } });
const errorCode = async (response: Response) => ((await response.json()) as { error: { code: string } }).error.code;
const sidOf = (user: { accessToken: string }) => decodeJwt(user.accessToken).sid as string;

async function sessionsOf(user: TestUser): Promise<SessionsResponse['sessions']> {
  const response = await fetch(url('/auth/sessions'), { headers: bearer(user) });
  expect(response.status).toBe(200);
  return ((await response.json()) as SessionsResponse).sessions;
}

/** Resolves with the server's reason once the socket is closed. */
function closed(client: RecordingSocket): Promise<string> {
  if (!client.socket.connected) return Promise.resolve('already closed');
  return new Promise((resolve) => client.socket.once('disconnect', resolve));
}

async function expectEnded(user: TestUser, socket: RecordingSocket, closing: Promise<string>) {
  expect(await closing).toBe('io server disconnect');
  expect(socket.events('session_expired')).toEqual([{ code: 'SESSION_REVOKED' }]);
  const refused = await me(user);
  expect(refused.status).toBe(401);
  expect(await errorCode(refused)).toBe('SESSION_REVOKED');
  expect((await refresh(user.refreshCookie)).status).toBe(401);
}

describe('refresh rotation is single-use whatever the database', () => {
  it.each([10, 50])('of %i concurrent refreshes with one token exactly one answers 200', async (count) => {
    const user = await registerUser(files.server.url);
    const answers = await Promise.all(Array.from({ length: count }, () => refresh(user.refreshCookie)));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 401)).toHaveLength(count - 1);
    // The losers were reuse: the session ended, so even the winner's new token is refused.
    const winner = answers.find((answer) => answer.status === 200)!;
    expect((await refresh(refreshCookieOf(winner))).status).toBe(401);
    expect(await errorCode(await me(user))).toBe('SESSION_REVOKED');
  });

  it('a token used once in sequence keeps working down the chain', async () => {
    const user = await registerUser(files.server.url);
    let cookie = user.refreshCookie;
    for (let i = 0; i < 3; i += 1) {
      const answer = await refresh(cookie);
      expect(answer.status).toBe(200);
      cookie = refreshCookieOf(answer);
    }
  });
});

describe('sessions', () => {
  it('puts the session id in the access token and lists each sign-in, this one marked', async () => {
    const first = await registerUser(files.server.url);
    const second = await signIn(files.server.url, first.user.username, 'correct horse', { 'user-agent': 'Second Browser/1.0' });
    expect(sidOf(first)).toMatch(/^[0-9a-f]{24}$/);
    expect(sidOf(second)).not.toBe(sidOf(first));
    const sessions = await sessionsOf(second);
    expect(sessions).toHaveLength(2);
    expect(sessions.find((session) => session.current)).toMatchObject({ id: sidOf(second), userAgent: 'Second Browser/1.0' });
    expect(sessions.find((session) => !session.current)?.id).toBe(sidOf(first));
    for (const session of sessions) {
      expect(Object.keys(session).sort()).toEqual(['createdAt', 'current', 'id', 'lastUsedAt', 'userAgent']);
    }
  });

  it('a refresh keeps the session id and moves lastUsedAt', async () => {
    const user = await registerUser(files.server.url);
    const [before] = await sessionsOf(user);
    await sleep(20);
    const answer = await refresh(user.refreshCookie);
    const renewed = (await answer.json()) as { accessToken: string };
    expect(sidOf(renewed)).toBe(sidOf(user));
    const [after] = await sessionsOf({ ...user, accessToken: renewed.accessToken });
    expect(after!.createdAt).toBe(before!.createdAt);
    expect(Date.parse(after!.lastUsedAt)).toBeGreaterThan(Date.parse(before!.lastUsedAt));
  });

  it('DELETE /api/auth/sessions/:id ends that session at once: token refused, socket told and closed, refresh refused', async () => {
    const laptop = await registerUser(files.server.url);
    const phone = await signIn(files.server.url, laptop.user.username);
    const phoneSocket = await files.open(phone);
    const laptopSocket = await files.open(laptop);
    const closing = closed(phoneSocket);
    const response = await fetch(url(`/auth/sessions/${sidOf(phone)}`), { method: 'DELETE', headers: bearer(laptop) });
    expect(response.status).toBe(204);
    await expectEnded(phone, phoneSocket, closing);
    // The session that did it goes on.
    expect((await me(laptop)).status).toBe(200);
    expect(laptopSocket.socket.connected).toBe(true);
    expect(laptopSocket.events('session_expired')).toEqual([]);
    expect((await sessionsOf(laptop)).map((session) => session.id)).toEqual([sidOf(laptop)]);
  });

  it("answers 404 for someone else's session and leaves it alone", async () => {
    const alice = await registerUser(files.server.url);
    const mallory = await registerUser(files.server.url);
    const response = await fetch(url(`/auth/sessions/${sidOf(alice)}`), { method: 'DELETE', headers: bearer(mallory) });
    expect(response.status).toBe(404);
    expect((await me(alice)).status).toBe(200);
    const bad = await fetch(url('/auth/sessions/not-an-id'), { method: 'DELETE', headers: bearer(mallory) });
    expect(bad.status).toBe(400);
  });

  it('the handshake refuses an ended session with SESSION_REVOKED', async () => {
    const user = await registerUser(files.server.url);
    await fetch(url('/auth/logout'), { method: 'POST', headers: { cookie: user.refreshCookie } });
    const client = openSocket(files.server.url, user.accessToken);
    const error = await client.refused();
    expect(error.message).toBe('UNAUTHORIZED');
    expect(error.data).toEqual({ code: 'SESSION_REVOKED' });
    client.close();
  });
});

describe('logout ends the session at once', () => {
  it('the access token is refused, its sockets close, and a partner sees the user offline without the grace period', async () => {
    const alice = await registerUser(files.server.url);
    const bob = await registerUser(files.server.url);
    const aliceSocket = await files.open(alice);
    const bobSocket = await files.open(bob);
    // A conversation, so each watches the other's presence (contract v2).
    const ack = await aliceSocket.socket.emitWithAck('send_message', { receiverId: bob.user.id, content: 'hi' });
    expect(ack.ok).toBe(true);
    const closing = closed(aliceSocket);
    const response = await fetch(url('/auth/logout'), { method: 'POST', headers: { cookie: alice.refreshCookie } });
    expect(response.status).toBe(204);
    await expectEnded(alice, aliceSocket, closing);
    const [offline] = await bobSocket.waitFor<{ userId: string }>('user_offline', 1, 3000);
    expect(offline!.userId).toBe(alice.user.id);
  });

  it('POST /api/auth/logout-all ends every session of the caller and no one else', async () => {
    const one = await registerUser(files.server.url);
    const two = await signIn(files.server.url, one.user.username);
    const stranger = await registerUser(files.server.url);
    const [oneSocket, twoSocket, strangerSocket] = [await files.open(one), await files.open(two), await files.open(stranger)];
    const closings = [closed(oneSocket), closed(twoSocket)];
    const response = await fetch(url('/auth/logout-all'), { method: 'POST', headers: bearer(two) });
    expect(response.status).toBe(204);
    expect(response.headers.getSetCookie().join()).toMatch(/parley_rt=;.*Expires=Thu, 01 Jan 1970/);
    await expectEnded(one, oneSocket, closings[0]!);
    await expectEnded(two, twoSocket, closings[1]!);
    expect(strangerSocket.socket.connected).toBe(true);
    expect((await me(stranger)).status).toBe(200);
  });
});

describe('POST /api/auth/password', () => {
  const change = (user: TestUser, body: unknown) => postJson(url('/auth/password'), body, bearer(user));

  it('changes the password and ends every other session, keeping this one', async () => {
    const here = await registerUser(files.server.url);
    const elsewhere = await signIn(files.server.url, here.user.username);
    const elsewhereSocket = await files.open(elsewhere);
    const hereSocket = await files.open(here);
    const closing = closed(elsewhereSocket);
    const response = await change(here, { currentPassword: 'correct horse', newPassword: 'a much better passphrase' });
    expect(response.status).toBe(204);
    await expectEnded(elsewhere, elsewhereSocket, closing);
    expect((await me(here)).status).toBe(200);
    expect(hereSocket.socket.connected).toBe(true);
    expect((await refresh(here.refreshCookie)).status).toBe(200);
    const oldPassword = await postJson(url('/auth/login'), { username: here.user.username, password: 'correct horse' });
    expect(oldPassword.status).toBe(401);
    await signIn(files.server.url, here.user.username, 'a much better passphrase');
  });

  it('refuses a wrong current password and a weak new one, per field, changing nothing', async () => {
    const user = await registerUser(files.server.url);
    const wrong = await change(user, { currentPassword: 'not my password', newPassword: 'a much better passphrase' });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({
      error: { code: 'VALIDATION_ERROR', details: { fields: { currentPassword: expect.any(String) } } },
    });
    const weak = await change(user, { currentPassword: 'correct horse', newPassword: 'password123' });
    expect(weak.status).toBe(400);
    expect(await weak.json()).toMatchObject({
      error: { code: 'WEAK_PASSWORD', details: { fields: { newPassword: expect.any(String) } } },
    });
    await signIn(files.server.url, user.user.username, 'correct horse');
  });
});

describe('absolute session lifetime', () => {
  it('rotation does not extend a session: past SESSION_MAX_AGE the refresh is refused', async () => {
    const maxAgeMs = 2500;
    const short = await startTestServer({ sessionMaxAgeMs: maxAgeMs });
    try {
      const user = await registerUser(short.url);
      const expiresAt = decodeJwt(user.accessToken).exp! * 1000;
      expect(expiresAt).toBeLessThanOrEqual(Date.now() + maxAgeMs);
      let cookie = user.refreshCookie;
      for (let i = 0; i < 2; i += 1) {
        await sleep(600);
        const answer = await fetch(`${short.url}/api/auth/refresh`, { method: 'POST', headers: { cookie } });
        expect(answer.status).toBe(200);
        cookie = refreshCookieOf(answer);
      }
      await sleep(maxAgeMs - 1000);
      const late = await fetch(`${short.url}/api/auth/refresh`, { method: 'POST', headers: { cookie } });
      expect(late.status).toBe(401);
    } finally {
      await short.close();
    }
  });
});

describe('revocations outlive a restart', () => {
  it('a node started after a logout still refuses that session’s access token', async () => {
    const dbName = uniqueDbName();
    const first = await startTestServer({}, { dbName });
    const user = await registerUser(first.url);
    await fetch(`${first.url}/api/auth/logout`, { method: 'POST', headers: { cookie: user.refreshCookie } });
    await first.close();
    const second = await startTestServer({}, { dbName });
    try {
      const response = await fetch(`${second.url}/api/users/me`, { headers: bearer(user) });
      expect(response.status).toBe(401);
      expect(await errorCode(response)).toBe('SESSION_REVOKED');
      const other = await registerUser(second.url);
      const socket = await connectedSocket(second.url, other.accessToken);
      socket.close();
    } finally {
      await second.close();
    }
  });
});
