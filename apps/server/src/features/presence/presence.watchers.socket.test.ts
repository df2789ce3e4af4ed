import type { MeResponse, PresenceSubscribeAck, SendMessageAck, UserWithPresence } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { getJson, patchJson, registerUser, sleep, type RecordingSocket, type TestUser } from '../../test/clients.js';
import { eventsAbout, watchingSocket } from '../../test/presence.js';
import { serverForThisFile } from '../../test/testServer.js';

const GRACE_MS = 200;
const file = serverForThisFile({ presenceGraceMs: GRACE_MS });
const open = (user: TestUser) => watchingSocket(file, user);
const newUser = () => registerUser(file.server.url);

function subscribe(socket: RecordingSocket, userIds: string[]): Promise<PresenceSubscribeAck> {
  return socket.socket.emitWithAck('presence_subscribe', { userIds });
}

async function send(socket: RecordingSocket, to: TestUser, content = 'hello'): Promise<SendMessageAck> {
  const ack = await socket.socket.emitWithAck('send_message', { receiverId: to.user.id, content });
  expect(ack.ok).toBe(true);
  return ack;
}

/** Becomes partners through the real path: a message sent over a socket, then that socket signs out. */
async function makePartners(a: TestUser, b: TestUser): Promise<void> {
  const socket = await open(a);
  await send(socket, b);
  socket.close();
  await sleep(50);
}

describe('presence v2: only watchers hear', () => {
  it('a user with no relation and no subscription hears nothing; a partner does', async () => {
    const [a, partner, stranger] = [await newUser(), await newUser(), await newUser()];
    await makePartners(partner, a);
    const strangerSocket = await open(stranger);
    const partnerSocket = await open(partner);
    const tab = await open(a);
    await partnerSocket.waitFor('user_online', 1);
    tab.close();
    await partnerSocket.waitFor('user_offline', 1);

    expect(eventsAbout(partnerSocket, 'user_online', a.user.id)).toHaveLength(1);
    expect(eventsAbout(strangerSocket, 'user_online', a.user.id)).toHaveLength(0);
    expect(eventsAbout(strangerSocket, 'user_offline', a.user.id)).toHaveLength(0);
    const [snapshot] = await strangerSocket.waitFor<{ userIds: string[] }>('online_users');
    expect(snapshot!.userIds).toEqual([stranger.user.id]);
  });

  it('a subscribed socket hears, and stops hearing once it subscribes without that user', async () => {
    const [a, partner, watcher] = [await newUser(), await newUser(), await newUser()];
    await makePartners(a, partner);
    const partnerSocket = await open(partner);
    const watcherSocket = await open(watcher);

    const ack = await subscribe(watcherSocket, [a.user.id]);
    // `a` signed out in makePartners: offline, with the lastSeen then recorded.
    expect(ack).toEqual({ ok: true, users: [{ userId: a.user.id, online: false, lastSeen: expect.any(String) }] });

    const tab = await open(a);
    await watcherSocket.waitFor('user_online', 1);
    const online = await subscribe(watcherSocket, [a.user.id]);
    expect(online).toEqual({ ok: true, users: [{ userId: a.user.id, online: true, lastSeen: expect.any(String) }] });

    expect(await subscribe(watcherSocket, [])).toEqual({ ok: true, users: [] });
    tab.close();
    // The partner hears the departure (the event went out); the former subscriber does not.
    await partnerSocket.waitFor('user_offline', 1);
    await sleep(50);
    expect(eventsAbout(watcherSocket, 'user_online', a.user.id)).toHaveLength(1);
    expect(eventsAbout(watcherSocket, 'user_offline', a.user.id)).toHaveLength(0);
  });

  it('subscribing to a partner and then without them keeps watching the partner', async () => {
    const [a, b] = [await newUser(), await newUser()];
    await makePartners(a, b);
    const aSocket = await open(a);
    await subscribe(aSocket, [b.user.id]);
    await subscribe(aSocket, []);
    const bTab = await open(b);
    await aSocket.waitFor('user_online', 1);
    bTab.close();
    await aSocket.waitFor('user_offline', 1);
  });

  it('a subscription that becomes a partnership outlives the subscription', async () => {
    const [a, b] = [await newUser(), await newUser()];
    const aSocket = await open(a);
    const bTab = await open(b);
    await subscribe(aSocket, [b.user.id]);
    await send(aSocket, b);
    await subscribe(aSocket, []);
    bTab.close();
    await aSocket.waitFor('user_offline', 1);
    expect(eventsAbout(aSocket, 'user_offline', b.user.id)).toHaveLength(1);
  });

  it('the first message makes each a watcher of the other on every socket, at once', async () => {
    const [a, b, stranger] = [await newUser(), await newUser(), await newUser()];
    const [a1, a2, b1, b2] = [await open(a), await open(a), await open(b), await open(b)];
    const strangerSocket = await open(stranger);
    for (const socket of [a1, a2, b1, b2]) expect(socket.events('user_online')).toHaveLength(0);

    await send(a1, b);
    // Each hears the other's current state straight away: both are online.
    for (const socket of [a1, a2]) await socket.waitFor('user_online', 1);
    for (const socket of [b1, b2]) await socket.waitFor('user_online', 1);
    for (const socket of [a1, a2]) expect(eventsAbout(socket, 'user_online', b.user.id)).toHaveLength(1);
    for (const socket of [b1, b2]) expect(eventsAbout(socket, 'user_online', a.user.id)).toHaveLength(1);

    // b leaves: both of a's sockets hear it.
    b1.close();
    b2.close();
    for (const socket of [a1, a2]) await socket.waitFor('user_offline', 1);
    // b comes back: a's sockets hear it, and b's new socket counts a among its online partners.
    const b3 = await open(b);
    const [snapshot] = await b3.waitFor<{ userIds: string[] }>('online_users');
    expect(snapshot!.userIds.sort()).toEqual([a.user.id, b.user.id].sort());
    for (const socket of [a1, a2]) await socket.waitFor('user_online', 2);
    // a leaves: b's socket hears it.
    a1.close();
    a2.close();
    await b3.waitFor('user_offline', 1);
    expect(eventsAbout(b3, 'user_offline', a.user.id)).toHaveLength(1);

    expect(strangerSocket.events('user_online')).toHaveLength(0);
    expect(strangerSocket.events('user_offline')).toHaveLength(0);
  });

  it('presence_subscribe validates its payload and has a per-user budget', async () => {
    const a = await newUser();
    const socket = await open(a);
    const tooMany = Array.from({ length: 201 }, () => a.user.id);
    const invalid = await subscribe(socket, tooMany);
    expect(invalid).toMatchObject({ ok: false, error: { code: 'VALIDATION_ERROR' } });
    const answers = await Promise.all(Array.from({ length: 30 }, () => subscribe(socket, [])));
    expect(answers.some((answer) => !answer.ok && answer.error.code === 'RATE_LIMITED')).toBe(true);
    // Unknown users and oneself are left out of the answer.
    await sleep(2500);
    const ack = await subscribe(socket, [a.user.id, '0123456789abcdef01234567']);
    expect(ack).toEqual({ ok: true, users: [] });
  });
});

/** Every place where `userId`'s presence shows in a payload, as a description; none means no leak. */
function presenceLeaks(event: string, payload: unknown, userId: string): string[] {
  const leaks: string[] = [];
  if ((event === 'user_online' || event === 'user_offline') && (payload as { userId?: string }).userId === userId) {
    leaks.push(`${event} about the hidden user`);
  }
  if (event === 'online_users' && (payload as { userIds: string[] }).userIds.includes(userId)) {
    leaks.push('online_users lists the hidden user');
  }
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (value === null || typeof value !== 'object') return;
    const record = value as Record<string, unknown>;
    const about = record.userId ?? record.id;
    if (about === userId && ('online' in record || 'lastSeen' in record)) {
      if (record.online !== false || record.lastSeen !== null) leaks.push(`${event}: ${JSON.stringify(record)}`);
    }
    Object.values(record).forEach(walk);
  };
  walk(payload);
  return leaks;
}

describe('presence v2: showPresence false', () => {
  it('hides the user from everyone: no events, offline with no lastSeen in every answer', async () => {
    const [hidden, partner, newcomer, subscriber] = [await newUser(), await newUser(), await newUser(), await newUser()];
    await makePartners(hidden, partner); // hidden was online once: a lastSeen is stored
    const hide = await patchJson<MeResponse>(file.server.url, '/api/users/me', hidden.accessToken, { showPresence: false });
    expect(hide.status).toBe(200);
    expect(hide.body.user).toMatchObject({ id: hidden.user.id, showPresence: false });

    const answers: { what: string; body: unknown }[] = [];
    const partnerSocket = await open(partner);
    const subscriberSocket = await open(subscriber);
    answers.push({ what: 'subscribe ack (offline)', body: await subscribe(subscriberSocket, [hidden.user.id]) });
    const [tab1, tab2] = [await open(hidden), await open(hidden)];
    const newcomerSocket = await open(newcomer);
    answers.push({ what: 'subscribe ack (online)', body: await subscribe(subscriberSocket, [hidden.user.id]) });
    answers.push({ what: 'users list (online)', body: (await getJson(file.server.url, '/api/users', subscriber.accessToken)).body });
    // The hidden user messages their partner and starts a conversation: still nothing.
    await send(tab1, partner);
    await send(tab2, newcomer);
    const lateSocket = await open(partner); // its online_users snapshot, taken while hidden is online
    await lateSocket.waitFor('online_users');
    tab1.close();
    tab2.close();
    await sleep(100);
    answers.push({ what: 'users list (offline)', body: (await getJson(file.server.url, '/api/users', partner.accessToken)).body });
    answers.push({ what: 'subscribe ack (offline again)', body: await subscribe(subscriberSocket, [hidden.user.id]) });

    // The control: the lists do include the user, the ack names them: the scan below can fail.
    const list = answers[2]!.body as { users: UserWithPresence[] };
    expect(list.users.find((user) => user.id === hidden.user.id)).toMatchObject({ online: false, lastSeen: null });
    expect(answers[1]!.body).toEqual({ ok: true, users: [{ userId: hidden.user.id, online: false, lastSeen: null }] });
    expect(newcomerSocket.events('new_message')).toHaveLength(1);

    const leaks = [
      ...[partnerSocket, subscriberSocket, newcomerSocket, lateSocket].flatMap((socket) =>
        socket.received.flatMap(({ event, payload }) => presenceLeaks(event, payload, hidden.user.id)),
      ),
      ...answers.flatMap(({ what, body }) => presenceLeaks(what, body, hidden.user.id)),
    ];
    expect(leaks).toEqual([]);

    const me = await getJson<MeResponse>(file.server.url, '/api/users/me', hidden.accessToken);
    expect(me.body.user.showPresence).toBe(false);
  });

  it('hiding while online looks like signing out to watchers; showing again like coming online', async () => {
    const [a, partner] = [await newUser(), await newUser()];
    await makePartners(partner, a);
    const partnerSocket = await open(partner);
    const tab = await open(a);
    await partnerSocket.waitFor('user_online', 1);

    await patchJson(file.server.url, '/api/users/me', a.accessToken, { showPresence: false });
    const [offline] = await partnerSocket.waitFor<{ userId: string; lastSeen: string }>('user_offline', 1);
    expect(offline).toEqual({ userId: a.user.id, lastSeen: expect.any(String) });
    const list = await getJson<{ users: UserWithPresence[] }>(file.server.url, '/api/users', partner.accessToken);
    expect(list.body.users.find((user) => user.id === a.user.id)).toMatchObject({ online: false, lastSeen: null });

    await patchJson(file.server.url, '/api/users/me', a.accessToken, { showPresence: true });
    await partnerSocket.waitFor('user_online', 2);
    tab.close();
    await partnerSocket.waitFor('user_offline', 2);
    expect(eventsAbout(partnerSocket, 'user_online', a.user.id)).toHaveLength(2);
  });

  it('PATCH /api/users/me validates its body and changes only what it names', async () => {
    const a = await registerUser(file.server.url, undefined, 'Before');
    const empty = await patchJson<{ error: { code: string } }>(file.server.url, '/api/users/me', a.accessToken, {});
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe('VALIDATION_ERROR');
    const unknown = await patchJson<{ error: { code: string } }>(file.server.url, '/api/users/me', a.accessToken, { admin: true });
    expect(unknown.status).toBe(400);

    const me = await getJson<MeResponse>(file.server.url, '/api/users/me', a.accessToken);
    expect(me.body.user.showPresence).toBe(true);
    const renamed = await patchJson<MeResponse>(file.server.url, '/api/users/me', a.accessToken, { displayName: 'After' });
    expect(renamed.body.user).toMatchObject({ displayName: 'After', showPresence: true });
    const hidden = await patchJson<MeResponse>(file.server.url, '/api/users/me', a.accessToken, { showPresence: false });
    expect(hidden.body.user).toMatchObject({ displayName: 'After', showPresence: false });
  });
});
