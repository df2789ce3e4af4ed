import type { CountAck, Message, MessagesPage } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { getJson, registerUser, sleep, type RecordingSocket, type TestUser } from '../../test/clients.js';
import { serverForThisFile } from '../../test/testServer.js';
import { createMongoMessageStore } from './store/mongoMessageStore.js';

const file = serverForThisFile({ typingRatePerSecond: 20 });
const open = (user: TestUser) => file.open(user);

async function sendMany(from: RecordingSocket, to: TestUser, count: number): Promise<Message[]> {
  const messages: Message[] = [];
  for (let i = 0; i < count; i += 1) {
    const ack = await from.socket.timeout(5000).emitWithAck('send_message', { receiverId: to.user.id, content: `hello ${i}` });
    if (!ack.ok) throw new Error(ack.error.code);
    messages.push(ack.message);
  }
  return messages;
}

const markAsRead = (socket: RecordingSocket, senderId: string): Promise<CountAck> =>
  socket.socket.timeout(5000).emitWithAck('mark_as_read', { senderId });

describe('read receipts (Day 4 checklist)', () => {
  it('nothing is read until the receiver opens the chat, even while online', async () => {
    const [a, b] = [await registerUser(file.server.url), await registerUser(file.server.url)];
    const [aSocket] = [await open(a), await open(b)];
    await sendMany(aSocket, b, 2);
    await sleep(200);
    expect(aSocket.events('messages_read')).toHaveLength(0);
    const { body } = await getJson<MessagesPage>(file.server.url, `/api/messages/${b.user.id}`, a.accessToken);
    expect(body.messages.every((message) => !message.isRead && message.readAt === null)).toBe(true);
  });

  it('opening the chat marks all in one update, tells the sender live and the reader’s other tabs, and persists', async () => {
    const [a, b] = [await registerUser(file.server.url), await registerUser(file.server.url)];
    const [aTab1, aTab2] = [await open(a), await open(a)];
    const [bTab1, bTab2] = [await open(b), await open(b)];
    await sendMany(aTab1, b, 3);

    const ack = await markAsRead(bTab1, a.user.id);
    expect(ack).toEqual({ ok: true, count: 3 });
    const expected = { readerId: b.user.id, senderId: a.user.id, readAt: expect.any(String) };
    for (const tab of [aTab1, aTab2, bTab2]) expect(await tab.waitFor('messages_read', 1)).toEqual([expected]);
    await sleep(100);
    expect(bTab1.events('messages_read')).toHaveLength(0);

    // A second open finds nothing new to mark and says nothing.
    expect(await markAsRead(bTab2, a.user.id)).toEqual({ ok: true, count: 0 });
    await sleep(100);
    expect(aTab1.events('messages_read')).toHaveLength(1);

    // After a reload, history shows the persisted state.
    const { body } = await getJson<MessagesPage>(file.server.url, `/api/messages/${b.user.id}`, a.accessToken);
    const readAt = aTab1.events<{ readAt: string }>('messages_read')[0]!.readAt;
    expect(body.messages.map((message) => [message.isRead, message.readAt])).toEqual(Array(3).fill([true, readAt]));
    expect(body.messages.every((message) => message.deliveredAt !== null)).toBe(true);
  });

  it('nobody can mark someone else’s messages', async () => {
    const [a, b, mallory] = [await registerUser(file.server.url), await registerUser(file.server.url), await registerUser(file.server.url)];
    const [aSocket, malSocket] = [await open(a), await open(mallory)];
    await sendMany(aSocket, b, 2);
    expect(await markAsRead(malSocket, a.user.id)).toEqual({ ok: true, count: 0 });
    expect(await markAsRead(aSocket, a.user.id)).toEqual({ ok: false, error: expect.objectContaining({ code: 'VALIDATION_ERROR' }) });
    const { body } = await getJson<MessagesPage>(file.server.url, `/api/messages/${b.user.id}`, a.accessToken);
    expect(body.messages.every((message) => !message.isRead)).toBe(true);
    await sleep(100);
    expect(aSocket.events('messages_read')).toHaveLength(0);
  });

  it('marks only messages from that partner, and the unread counts follow', async () => {
    const [me, p1, p2] = [await registerUser(file.server.url), await registerUser(file.server.url), await registerUser(file.server.url)];
    const [meSocket, p1Socket, p2Socket] = [await open(me), await open(p1), await open(p2)];
    await sendMany(p1Socket, me, 2);
    await sendMany(p2Socket, me, 1);
    await sendMany(meSocket, p1, 1);
    await markAsRead(meSocket, p1.user.id);
    const { body } = await getJson<{ conversations: { user: { id: string }; unreadCount: number }[] }>(file.server.url, '/api/conversations', me.accessToken);
    expect(Object.fromEntries(body.conversations.map((c) => [c.user.id, c.unreadCount]))).toEqual({ [p1.user.id]: 0, [p2.user.id]: 1 });
  });
});

describe('read receipts racing new messages', () => {
  it('a message stored after the read began is left unread, for the next mark_as_read', async () => {
    const [a, b] = [await registerUser(file.server.url), await registerUser(file.server.url)];
    const aSocket = await open(a);
    const [early] = await sendMany(aSocket, b, 1);
    const readBegan = new Date(new Date(early!.createdAt).getTime() + 1);
    await sleep(5);
    const [late] = await sendMany(aSocket, b, 1);
    const store = createMongoMessageStore(file.server.db);
    expect(await store.markRead(b.user.id, a.user.id, readBegan)).toBe(1);
    expect((await store.findById(late!.id))?.isRead).toBe(false);
    expect((await store.findById(early!.id))?.isRead).toBe(true);
    await store.close();
  });
});

describe('typing indicators', () => {
  it('reach only the partner’s sockets: not a third person, not the typist’s other tabs', async () => {
    const [a, b, c] = [await registerUser(file.server.url), await registerUser(file.server.url), await registerUser(file.server.url)];
    const [aTab1, aTab2, bTab1, bTab2, cSocket] = [await open(a), await open(a), await open(b), await open(b), await open(c)];
    aTab1.socket.emit('typing_start', { receiverId: b.user.id });
    aTab1.socket.emit('typing_stop', { receiverId: b.user.id });
    for (const tab of [bTab1, bTab2]) {
      expect(await tab.waitFor('user_typing', 1)).toEqual([{ userId: a.user.id }]);
      expect(await tab.waitFor('user_stop_typing', 1)).toEqual([{ userId: a.user.id }]);
    }
    await sleep(100);
    for (const other of [aTab1, aTab2, cSocket]) {
      expect(other.events('user_typing')).toHaveLength(0);
      expect(other.events('user_stop_typing')).toHaveLength(0);
    }
  });

  it('keeps no typing state: nothing is stored and a later socket hears nothing of earlier typing', async () => {
    const [a, b] = [await registerUser(file.server.url), await registerUser(file.server.url)];
    const aSocket = await open(a);
    const collectionsBefore = (await file.server.db.db!.listCollections().toArray()).map((c) => c.name).sort();
    const countsBefore = await Promise.all(collectionsBefore.map((name) => file.server.db.db!.collection(name).countDocuments()));
    aSocket.socket.emit('typing_start', { receiverId: b.user.id });
    await sleep(100);
    const bLater = await open(b);
    await sleep(200);
    expect(bLater.events('user_typing')).toHaveLength(0);
    const collectionsAfter = (await file.server.db.db!.listCollections().toArray()).map((c) => c.name).sort();
    expect(collectionsAfter).toEqual(collectionsBefore);
    expect(await Promise.all(collectionsAfter.map((name) => file.server.db.db!.collection(name).countDocuments()))).toEqual(countsBefore);
  });

  it('drops a typing flood beyond the per-user rate', async () => {
    const [a, b] = [await registerUser(file.server.url), await registerUser(file.server.url)];
    const [aSocket, bSocket] = [await open(a), await open(b)];
    for (let i = 0; i < 200; i += 1) aSocket.socket.emit('typing_start', { receiverId: b.user.id });
    await sleep(300);
    const forwarded = bSocket.events('user_typing').length;
    expect(forwarded).toBeGreaterThan(0);
    expect(forwarded).toBeLessThan(30);
  });
});
