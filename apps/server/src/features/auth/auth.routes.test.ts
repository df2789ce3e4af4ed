import type { User } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userModel } from '../users/user.model.js';
import { directoryAs, postJson, refreshCookieOf, registerUser, sleep, uniqueUsername, type TestUser } from '../../test/clients.js';
import { startTestServer, type TestServer } from '../../test/testServer.js';

/** Every body these routes answer with, loosely: each test reads the part it checks. */
interface Body {
  error: { code: string; message: string };
  user: User;
  accessToken: string;
}
const read = (response: Response) => response.json() as Promise<Body>;

let server: TestServer;
/** Someone already signed up, whose view of the user directory shows who exists. */
let observer: TestUser;
beforeAll(async () => {
  server = await startTestServer();
  observer = await registerUser(server.url);
});
const everyoneElse = async () => (await directoryAs(server.url, observer)).map((user) => user.id);
afterAll(async () => {
  await server.close();
});

const api = (path: string) => `${server.url}/api${path}`;
const refresh = (cookie: string | undefined, headers: Record<string, string> = {}) =>
  fetch(api('/auth/refresh'), { method: 'POST', headers: { ...(cookie ? { cookie } : {}), ...headers } });

describe('POST /api/auth/register', () => {
  it('creates the user and answers 201 { user, accessToken } with a refresh cookie', async () => {
    const username = uniqueUsername('Reg');
    const response = await postJson(api('/auth/register'), { username, password: 'long enough', displayName: ' Reg Ister ' });
    expect(response.status).toBe(201);
    const body = await read(response);
    expect(Object.keys(body).sort()).toEqual(['accessToken', 'user']);
    expect(body.user).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      username: username.toLowerCase(),
      displayName: 'Reg Ister',
      createdAt: expect.any(String),
    });
    expect(JSON.stringify(body)).not.toMatch(/passwordHash|"_id"|__v|parley_rt/);
    // No API ever shows a password hash: only storage can prove it is argon2id with our parameters.
    const stored = await userModel(server.db).findOne({ username: username.toLowerCase() }).lean();
    expect(stored?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it('sets the refresh cookie httpOnly, SameSite=Strict, path /api/auth, not Secure outside production', async () => {
    const response = await postJson(api('/auth/register'), { username: uniqueUsername(), password: 'long enough' });
    const cookie = response.headers.getSetCookie().find((line) => line.startsWith('parley_rt='))!;
    expect(cookie).toMatch(/; HttpOnly/i);
    expect(cookie).toMatch(/; SameSite=Strict/i);
    expect(cookie).toMatch(/; Path=\/api\/auth/i);
    expect(cookie).not.toMatch(/; Secure/i);
  });

  it('answers 409 USERNAME_TAKEN for a taken username, whatever its case', async () => {
    const username = uniqueUsername('dup');
    await registerUser(server.url, username);
    const response = await postJson(api('/auth/register'), { username: username.toUpperCase(), password: 'long enough' });
    expect(response.status).toBe(409);
    expect((await read(response)).error.code).toBe('USERNAME_TAKEN');
  });

  it.each([
    ['a wrong type', { username: 123, password: 'long enough' }],
    ['a missing field', { username: 'missing_pw' }],
    ['an operator object', { username: { $gt: '' }, password: 'long enough' }],
    ['an operator password', { username: 'op_pw_user', password: { $ne: null } }],
    ['a short password', { username: 'short_pw', password: 'short' }],
    ['a bad username', { username: 'no spaces!', password: 'long enough' }],
    ['an unknown key', { username: 'extra_key', password: 'long enough', isAdmin: true }],
    ['a prototype key', JSON.parse('{"username":"proto_user","password":"long enough","__proto__":{"x":1}}')],
  ])('answers 400 VALIDATION_ERROR for %s and stores nothing', async (_label, body) => {
    const before = await everyoneElse();
    const response = await postJson(api('/auth/register'), body);
    expect(response.status).toBe(400);
    const json = await read(response);
    expect(json.error).toMatchObject({ code: 'VALIDATION_ERROR', message: expect.any(String) });
    expect(JSON.stringify(json)).not.toMatch(/at .*\.ts|stack/i);
    expect(await everyoneElse()).toEqual(before);
  });

  it('answers 400 for a body that is not JSON, and 413 for an oversize body', async () => {
    const broken = await fetch(api('/auth/register'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"username":' });
    expect(broken.status).toBe(400);
    expect((await read(broken)).error.code).toBe('VALIDATION_ERROR');
    const before = await everyoneElse();
    const huge = await postJson(api('/auth/register'), { username: 'huge_body', password: 'x'.repeat(100_000) });
    expect(huge.status).toBe(413);
    expect((await read(huge)).error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await everyoneElse()).toEqual(before);
  });
});

describe('POST /api/auth/login', () => {
  it('signs in with the right password', async () => {
    const user = await registerUser(server.url);
    const response = await postJson(api('/auth/login'), { username: user.user.username, password: 'correct horse' });
    expect(response.status).toBe(200);
    const body = await read(response);
    expect(body.user).toEqual(user.user);
    expect(body.accessToken).toEqual(expect.any(String));
    expect(refreshCookieOf(response)).toMatch(/^parley_rt=/);
  });

  it('gives an unknown user and a wrong password the very same answer', async () => {
    const user = await registerUser(server.url);
    const wrong = await postJson(api('/auth/login'), { username: user.user.username, password: 'wrong password' });
    const unknown = await postJson(api('/auth/login'), { username: uniqueUsername('nobody'), password: 'wrong password' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await read(wrong)).toEqual(await read(unknown));
    expect(wrong.headers.get('set-cookie')).toBeNull();
  });

  it('refuses operator objects with 400', async () => {
    const response = await postJson(api('/auth/login'), { username: { $gt: '' }, password: { $gt: '' } });
    expect(response.status).toBe(400);
  });
});

describe('POST /api/auth/refresh', () => {
  it('rotates: RT1 -> RT2; RT1 again -> 401; then RT2 -> 401 too (the family is revoked)', async () => {
    const { refreshCookie: rt1 } = await registerUser(server.url);
    const first = await refresh(rt1);
    expect(first.status).toBe(200);
    const body = await read(first);
    expect(body.accessToken).toEqual(expect.any(String));
    expect(JSON.stringify(body)).not.toContain(rt1.split('=')[1]);
    const rt2 = refreshCookieOf(first);
    expect(rt2).not.toBe(rt1);

    const reuse = await refresh(rt1);
    expect(reuse.status).toBe(401);
    expect((await read(reuse)).error.code).toBe('UNAUTHORIZED');
    expect((await refresh(rt2)).status).toBe(401);
  });

  it('answers 401 without a cookie or with a made-up one', async () => {
    expect((await refresh(undefined)).status).toBe(401);
    expect((await refresh('parley_rt=made-up-token')).status).toBe(401);
  });

  it('refuses an access token offered as the refresh cookie', async () => {
    const { accessToken } = await registerUser(server.url);
    expect((await refresh(`parley_rt=${accessToken}`)).status).toBe(401);
  });

  it('checks Origin: a foreign origin gets 403, an allowed or same origin 200', async () => {
    const { refreshCookie } = await registerUser(server.url);
    const foreign = await refresh(refreshCookie, { origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
    expect((await read(foreign)).error.code).toBe('ORIGIN_NOT_ALLOWED');
    const allowed = await refresh(refreshCookie, { origin: 'http://allowed.example' });
    expect(allowed.status).toBe(200);
    const same = await refresh(refreshCookieOf(allowed), { origin: server.url });
    expect(same.status).toBe(200);
  });
});

describe('POST /api/auth/logout', () => {
  it('answers 204, clears the cookie and revokes that refresh token', async () => {
    const { refreshCookie } = await registerUser(server.url);
    const response = await fetch(api('/auth/logout'), { method: 'POST', headers: { cookie: refreshCookie } });
    expect(response.status).toBe(204);
    const cleared = response.headers.getSetCookie().find((line) => line.startsWith('parley_rt='));
    expect(cleared).toMatch(/Expires=Thu, 01 Jan 1970/);
    expect((await refresh(refreshCookie)).status).toBe(401);
  });

  it('checks Origin too', async () => {
    const { refreshCookie } = await registerUser(server.url);
    const response = await fetch(api('/auth/logout'), { method: 'POST', headers: { cookie: refreshCookie, origin: 'http://evil.example' } });
    expect(response.status).toBe(403);
    expect((await refresh(refreshCookie)).status).toBe(200);
  });
});

describe('GET /api/users/me and /api/health', () => {
  it('answers the caller for a valid access token only', async () => {
    const { user, accessToken, refreshCookie } = await registerUser(server.url);
    const me = await fetch(api('/users/me'), { headers: { authorization: `Bearer ${accessToken}` } });
    expect(me.status).toBe(200);
    // v2: the caller's own user carries its privacy setting.
    expect(await read(me)).toEqual({ user: { ...user, showPresence: true } });
    const none = await fetch(api('/users/me'));
    expect(none.status).toBe(401);
    expect((await read(none)).error.code).toBe('UNAUTHORIZED');
    const refreshAsAccess = await fetch(api('/users/me'), { headers: { authorization: `Bearer ${refreshCookie.split('=')[1]}` } });
    expect(refreshAsAccess.status).toBe(401);
  });

  it('reports health while the database answers', async () => {
    const response = await fetch(api('/health'));
    expect(response.status).toBe(200);
    expect(await read(response)).toEqual({ status: 'ok' });
  });

  it('answers unknown API routes with 404 in the error shape', async () => {
    const response = await fetch(api('/nope'));
    expect(response.status).toBe(404);
    expect((await read(response)).error.code).toBe('NOT_FOUND');
  });
});

describe('rate limit on login and register', () => {
  it('answers 429 RATE_LIMITED past the limit', async () => {
    const limited = await startTestServer({ authRateLimit: { max: 3, windowMs: 60_000 } });
    try {
      const attempt = () => postJson(`${limited.url}/api/auth/login`, { username: 'nobody_here', password: 'whatever1' });
      const statuses = [];
      for (let i = 0; i < 4; i += 1) statuses.push((await attempt()).status);
      expect(statuses).toEqual([401, 401, 401, 429]);
      const blocked = await attempt();
      expect((await read(blocked)).error.code).toBe('RATE_LIMITED');
    } finally {
      await limited.close();
    }
  });
});

describe('production cookie', () => {
  it('is Secure in production', async () => {
    const production = await startTestServer({ production: true });
    try {
      const response = await postJson(`${production.url}/api/auth/register`, { username: uniqueUsername(), password: 'long enough' });
      expect(response.headers.getSetCookie().find((line) => line.startsWith('parley_rt='))).toMatch(/; Secure/i);
    } finally {
      await production.close();
    }
  });
});

describe('passwords (v2)', () => {
  it.each([
    ['a common password', 'password'],
    ['a common number', '12345678'],
    ['a common password in capitals', 'PASSWORD1'],
  ])('refuses %s at sign-up with 400 WEAK_PASSWORD on the password field', async (_label, password) => {
    const response = await postJson(api('/auth/register'), { username: uniqueUsername('weak'), password });
    expect(response.status).toBe(400);
    expect(await read(response)).toMatchObject({
      error: { code: 'WEAK_PASSWORD', details: { fields: { password: expect.stringMatching(/common/) } } },
    });
  });

  it('refuses the username itself and its obvious variants', async () => {
    const username = uniqueUsername('self');
    for (const password of [username, username.toUpperCase(), `${username}1!`]) {
      const response = await postJson(api('/auth/register'), { username, password });
      expect(response.status, password).toBe(400);
      expect((await read(response)).error).toMatchObject({ code: 'WEAK_PASSWORD', details: { fields: { password: expect.any(String) } } });
    }
  });

  it('names each bad field in details.fields for a person', async () => {
    const response = await postJson(api('/auth/register'), { username: 'no spaces!', password: 'short' });
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { code: string; details: { fields: Record<string, string> } } };
    expect(error.code).toBe('VALIDATION_ERROR');
    expect(error.details.fields).toEqual({
      username: 'Must be 3-32 characters of a-z, 0-9 and _.',
      password: 'Must be at least 8 characters.',
    });
  });
});

describe('failed logins per username (v2)', () => {
  it('slow down, then answer 429 TOO_MANY_ATTEMPTS with Retry-After from any address; the right password works after the wait', async () => {
    // One trusted proxy hop: each attempt comes "from" another client address, as through a proxy.
    const throttled = await startTestServer({ loginThrottle: { maxFailures: 3, lockoutMs: 1000 }, trustProxy: 1, authRateLimit: { max: 2, windowMs: 60_000 } });
    try {
      const user = await registerUser(throttled.url);
      let address = 0;
      const attempt = (password: string) =>
        postJson(`${throttled.url}/api/auth/login`, { username: user.user.username, password }, { 'x-forwarded-for': `198.51.100.${(address += 1)}` });
      const statuses = [];
      for (let i = 0; i < 3; i += 1) statuses.push((await attempt('wrong password')).status);
      expect(statuses).toEqual([401, 401, 401]);
      const locked = await attempt('correct horse');
      expect(locked.status).toBe(429);
      expect((await read(locked)).error.code).toBe('TOO_MANY_ATTEMPTS');
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      await sleep(1100);
      expect((await attempt('correct horse')).status).toBe(200);
    } finally {
      await throttled.close();
    }
  });
});

describe('rate limit on refresh (v2)', () => {
  it('answers 429 RATE_LIMITED with Retry-After past the limit', async () => {
    const limited = await startTestServer({ refreshRateLimitMax: 2 });
    try {
      const statuses = [];
      let last: Response | undefined;
      for (let i = 0; i < 3; i += 1) {
        last = await fetch(`${limited.url}/api/auth/refresh`, { method: 'POST' });
        statuses.push(last.status);
      }
      expect(statuses).toEqual([401, 401, 429]);
      expect((await read(last!)).error.code).toBe('RATE_LIMITED');
      expect(last!.headers.get('retry-after')).toMatch(/^\d+$/);
    } finally {
      await limited.close();
    }
  });
});
