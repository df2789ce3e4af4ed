import { describe, expect, it } from 'vitest';
import { directoryAs, registerUser, uniqueUsername } from '../../test/clients.js';
import { serverForThisFile } from '../../test/testServer.js';
import { userModel } from './user.model.js';
import { backfillSearchWords } from './users.repository.js';
import { searchWordsOf } from './searchWords.js';

const file = serverForThisFile();

describe('GET /api/users?q= finds people by any word of their name', () => {

  it('matches a prefix of any word of the display name or of the username, ignoring case and accents', async () => {
    const { url } = file.server;
    const viewer = await registerUser(url);
    const bob = await registerUser(url, uniqueUsername('bobo'), 'Bob Okafor');
    await registerUser(url, uniqueUsername('zz'), 'Zoë Ångström-Lévy');
    const names = async (q: string) => (await directoryAs(url, viewer, q)).map((user) => user.displayName).sort();

    expect(await names('okaf')).toContain('Bob Okafor');
    expect(await names('OKAF')).toContain('Bob Okafor');
    expect(await names('bob oka')).toContain('Bob Okafor');
    expect(await names('okafor bob')).toContain('Bob Okafor');
    expect(await names('kafor')).not.toContain('Bob Okafor');
    expect(await names('zoe')).toContain('Zoë Ångström-Lévy');
    expect(await names('angst')).toContain('Zoë Ångström-Lévy');
    expect(await names('levy')).toContain('Zoë Ångström-Lévy');
    expect(await names('ÅNG')).toContain('Zoë Ångström-Lévy');
    expect(await names(bob.user.username.slice(0, 8))).toContain('Bob Okafor');
    expect(await names('.*')).toEqual([]);
  });

  it('keeps the words in step when a display name changes (PATCH /api/users/me, or any update)', async () => {
    const { url, db } = file.server;
    const viewer = await registerUser(url);
    const renamed = await registerUser(url, uniqueUsername('ren'), 'Old Name');
    const patched = await fetch(`${url}/api/users/me`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${renamed.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ displayName: 'Roald Dahl' }),
    });
    expect(patched.status).toBe(200);
    expect((await directoryAs(url, viewer, 'dah')).map((user) => user.id)).toContain(renamed.user.id);
    expect((await directoryAs(url, viewer, 'old')).map((user) => user.id)).not.toContain(renamed.user.id);
    await userModel(db).updateOne({ _id: renamed.user.id }, { $set: { displayName: 'Quentin Blake' } });
    const found = await directoryAs(url, viewer, 'blak');
    expect(found.map((user) => user.id)).toContain(renamed.user.id);
  });

  it('gives users stored before search words existed their words at start, once', async () => {
    const { url, db } = file.server;
    const viewer = await registerUser(url);
    const Users = userModel(db);
    // A user as version 1 stored them: no nameWords.
    const legacy = await Users.collection.insertOne({
      username: uniqueUsername('legacy'),
      displayName: 'Émile Durkheim',
      passwordHash: 'x',
      lastSeen: null,
      createdAt: new Date(),
      updatedAt: new Date(),
    });
    expect((await directoryAs(url, viewer, 'emile')).map((user) => user.id)).not.toContain(legacy.insertedId.toHexString());

    expect(await backfillSearchWords(db)).toBeGreaterThanOrEqual(1);
    expect(await backfillSearchWords(db)).toBe(0);
    expect((await directoryAs(url, viewer, 'emile')).map((user) => user.id)).toContain(legacy.insertedId.toHexString());
  });

  it('normalizes words: lower case, no accents, letters and digits only', () => {
    expect(searchWordsOf('  Zoë Ångström-Lévy, Jr. 3rd ')).toEqual(['zoe', 'angstrom', 'levy', 'jr', '3rd']);
  });
});
