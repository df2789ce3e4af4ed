import type { UserWithPresence } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import {
  connectedSocket,
  directoryAs,
  getJson,
  payloadMentions,
  registerUser,
  sleep,
  type RecordingSocket,
  type TestUser,
} from '../../test/clients.js';
import { eventsAbout, watchingSocket } from '../../test/presence.js';
import { serverForThisFile } from '../../test/testServer.js';
import { createMongoMessageStore } from '../messages/store/mongoMessageStore.js';

const GRACE_MS = 300;
const file = serverForThisFile({ presenceGraceMs: GRACE_MS });
const open = (user: TestUser) => watchingSocket(file, user);
const newUser = () => registerUser(file.server.url);

/** Drops the transport as a network failure would: not an explicit disconnect. */
function dropTransport(socket: RecordingSocket): void {
  socket.socket.io.engine.close();
}

function assertNoSocketIds(): void {
  const ids = file.opened.map((socket) => socket.socket.id).filter((id): id is string => Boolean(id));
  for (const socket of file.opened) {
    for (const { payload } of socket.received) expect(payloadMentions(payload, ids)).toBe(false);
  }
}

/** Makes two users conversation partners, as a stored message does, before either connects. */
async function partners(a: TestUser, ...others: TestUser[]): Promise<void> {
  const messages = createMongoMessageStore(file.server.db);
  for (const other of others) {
    await messages.insert({ sender: a.user.id, receiver: other.user.id, content: 'hi', clientMessageId: `seed_${other.user.id}` });
  }
  await messages.close();
}

describe('presence (Day 2 checklist, told to watchers)', () => {
  it('snapshots the caller and their online partners to the socket that connects', async () => {
    const [a, b] = [await newUser(), await newUser()];
    await partners(a, b);
    const bSocket = await open(b);
    const aSocket = await open(a);
    const [snapshot] = await aSocket.waitFor<{ userIds: string[] }>('online_users');
    expect(snapshot!.userIds.sort()).toEqual([a.user.id, b.user.id].sort());
    await bSocket.waitFor('online_users');
  });

  it('first socket: exactly one user_online at every watcher; a second tab: none; closing one of two: none', async () => {
    const [a, partner, subscriber] = [await newUser(), await newUser(), await newUser()];
    await partners(a, partner);
    const observerB = await open(partner);
    const observerC = await open(subscriber);
    await observerC.socket.emitWithAck('presence_subscribe', { userIds: [a.user.id] });
    const tab1 = await open(a);
    await observerB.waitFor('user_online', 1);
    await observerC.waitFor('user_online', 1);
    const tab2 = await open(a);
    tab1.close();
    await sleep(GRACE_MS * 2);
    for (const observer of [observerB, observerC]) {
      expect(eventsAbout(observer, 'user_online', a.user.id)).toHaveLength(1);
      expect(eventsAbout(observer, 'user_offline', a.user.id)).toHaveLength(0);
    }
    expect(eventsAbout(tab2, 'user_online', a.user.id)).toHaveLength(0);

    // Closing the last tab: exactly one user_offline, and only after the grace period.
    dropTransport(tab2);
    await sleep(GRACE_MS / 3);
    expect(eventsAbout(observerB, 'user_offline', a.user.id)).toHaveLength(0);
    await sleep(GRACE_MS * 2);
    for (const observer of [observerB, observerC]) {
      const offline = eventsAbout(observer, 'user_offline', a.user.id);
      expect(offline).toHaveLength(1);
      expect(offline[0]).toEqual({ userId: a.user.id, lastSeen: expect.any(String) });
    }
    const [announced] = observerB
      .events<{ userId: string; lastSeen: string }>('user_offline')
      .filter((payload) => payload.userId === a.user.id);
    const [shown] = await directoryAs(file.server.url, partner, a.user.username);
    expect(shown).toMatchObject({ id: a.user.id, online: false, lastSeen: announced?.lastSeen });
    assertNoSocketIds();
  });

  it('a reconnect within the grace period (a page refresh) emits nothing at all', async () => {
    const [a, b] = [await newUser(), await newUser()];
    await partners(a, b);
    const observer = await open(b);
    const tab = await open(a);
    await observer.waitFor('user_online', 1);
    dropTransport(tab);
    await sleep(GRACE_MS / 3);
    const reloaded = await open(a);
    await sleep(GRACE_MS * 2);
    expect(eventsAbout(observer, 'user_online', a.user.id)).toHaveLength(1);
    expect(eventsAbout(observer, 'user_offline', a.user.id)).toHaveLength(0);
    reloaded.close();
    assertNoSocketIds();
  });

  it('logout (an explicit disconnect of the last socket) announces user_offline at once', async () => {
    const [a, b] = [await newUser(), await newUser()];
    await partners(b, a);
    const observer = await open(b);
    const tab = await open(a);
    await observer.waitFor('user_online', 1);
    const started = Date.now();
    tab.close();
    await observer.waitFor('user_offline', 1, GRACE_MS);
    expect(Date.now() - started).toBeLessThan(GRACE_MS);
    expect(eventsAbout(observer, 'user_offline', a.user.id)).toHaveLength(1);
  });

  it('the users list carries online and lastSeen, and filters by prefix', async () => {
    const a = await registerUser(file.server.url, `zed_${Date.now() % 100000}`, 'Zed Online');
    const b = await newUser();
    const aSocket = await open(a);
    const list = await getJson<{ users: UserWithPresence[] }>(file.server.url, '/api/users?q=zed_', b.accessToken);
    expect(list.status).toBe(200);
    const entry = list.body.users.find((user) => user.id === a.user.id);
    expect(entry).toMatchObject({ online: true, lastSeen: null, displayName: 'Zed Online' });
    expect(list.body.users.every((user) => user.username.startsWith('zed_') || user.displayName.toLowerCase().startsWith('zed_'))).toBe(true);
    expect(list.body.users.some((user) => user.id === b.user.id)).toBe(false);

    aSocket.close();
    await sleep(50);
    const after = await getJson<{ users: UserWithPresence[] }>(file.server.url, '/api/users', b.accessToken);
    const offline = after.body.users.find((user) => user.id === a.user.id);
    expect(offline?.online).toBe(false);
    expect(offline?.lastSeen).toEqual(expect.any(String));
    expect(JSON.stringify(after.body)).not.toMatch(/passwordHash|"_id"/);
  });

  it('treats a regex-looking search as text', async () => {
    const b = await newUser();
    const list = await getJson<{ users: UserWithPresence[] }>(file.server.url, `/api/users?q=${encodeURIComponent('.*')}`, b.accessToken);
    expect(list.status).toBe(200);
    expect(list.body.users).toEqual([]);
  });
});

describe('presence under concurrency', () => {
  it('50 users each open and close 3 sockets in random order at once: exactly one online and one offline each', async () => {
    const users = await Promise.all(Array.from({ length: 50 }, () => newUser()));
    const [watcherUser, lateUser] = [await newUser(), await newUser()];
    await partners(watcherUser, ...users);
    await partners(lateUser, ...users, watcherUser);
    const watcher = await open(watcherUser);
    const jitter = () => sleep(Math.random() * 40);

    await Promise.all(
      users.map(async (user, index) => {
        await jitter();
        const own = await Promise.all([0, 1, 2].map(async () => (await jitter(), connectedSocket(file.server.url, user.accessToken))));
        await jitter();
        const order = own.sort(() => Math.random() - 0.5);
        for (const [position, socket] of order.entries()) {
          await jitter();
          // Half the users lose their last socket to the network, half sign out.
          if (position === 2 && index % 2 === 0) dropTransport(socket);
          else socket.close();
        }
      }),
    );
    // 150 connects at once keep a FerretDB busy for seconds: wait for the last announcement, then
    // a little longer for any second one.
    const deadline = Date.now() + 20_000;
    while (watcher.events('user_offline').length < users.length && Date.now() < deadline) await sleep(50);
    await sleep(GRACE_MS * 3);

    for (const user of users) {
      expect(eventsAbout(watcher, 'user_online', user.user.id)).toHaveLength(1);
      expect(eventsAbout(watcher, 'user_offline', user.user.id)).toHaveLength(1);
    }
    // None of the 50 is online any more; the watcher still is.
    const late = await open(lateUser);
    const [snapshot] = await late.waitFor<{ userIds: string[] }>('online_users');
    expect(snapshot!.userIds.sort()).toEqual([watcherUser.user.id, lateUser.user.id].sort());
  });
});
