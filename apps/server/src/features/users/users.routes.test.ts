import { describe, expect, it } from 'vitest';
import { registerUser } from '../../test/clients.js';
import { serverForThisFile } from '../../test/testServer.js';
import { userModel } from './user.model.js';

const files = serverForThisFile();

function patchMe(accessToken: string, body: unknown) {
  return fetch(`${files.server.url}/api/users/me`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('PATCH /api/users/me', () => {
  it('changes the display name (trimmed) and answers { user } with showPresence', async () => {
    const alice = await registerUser(files.server.url);
    const response = await patchMe(alice.accessToken, { displayName: '  Alice Liddell ' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ user: { ...alice.user, displayName: 'Alice Liddell', showPresence: true } });
    const stored = await userModel(files.server.db).findById(alice.user.id).lean();
    expect(stored?.displayName).toBe('Alice Liddell');
  });

  it('stores showPresence on the user', async () => {
    const bob = await registerUser(files.server.url);
    const response = await patchMe(bob.accessToken, { showPresence: false });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { user: { showPresence: boolean } }).user.showPresence).toBe(false);
    const me = await fetch(`${files.server.url}/api/users/me`, { headers: { authorization: `Bearer ${bob.accessToken}` } });
    expect(((await me.json()) as { user: { showPresence: boolean } }).user.showPresence).toBe(false);
  });

  it.each([
    ['a bidi override', { displayName: 'admin\u202Enigol' }, 'displayName'],
    ['a zero-width space', { displayName: 'Al\u200Bice' }, 'displayName'],
    ['an empty name', { displayName: '   ' }, 'displayName'],
    ['a name of 65 characters', { displayName: 'x'.repeat(65) }, 'displayName'],
    ['an unknown key', { username: 'root' }, 'username'],
  ])('refuses %s with 400 and a field error, changing nothing', async (_label, body, field) => {
    const carol = await registerUser(files.server.url);
    const response = await patchMe(carol.accessToken, body);
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { code: string; details: { fields: Record<string, string> } } };
    expect(error.code).toBe('VALIDATION_ERROR');
    expect(error.details.fields[field]).toEqual(expect.any(String));
    const stored = await userModel(files.server.db).findById(carol.user.id).lean();
    expect(stored?.displayName).toBe(carol.user.displayName);
  });

  it('refuses an empty change and a missing token', async () => {
    const dave = await registerUser(files.server.url);
    expect((await patchMe(dave.accessToken, {})).status).toBe(400);
    expect((await patchMe('', { displayName: 'Dave' })).status).toBe(401);
  });
});
