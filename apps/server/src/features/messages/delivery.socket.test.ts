import type { CountAck, Message, SyncResponse } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { getJson, registerUser, sleep, type RecordingSocket, type TestUser } from '../../test/clients.js';
import { serverForThisFile } from '../../test/testServer.js';

const file = serverForThisFile();
const open = (user: TestUser) => file.open(user);

async function send(from: RecordingSocket, to: TestUser, content: string): Promise<Message> {
  const ack = await from.socket.timeout(5000).emitWithAck('send_message', { receiverId: to.user.id, content });
  if (!ack.ok) throw new Error(ack.error.code);
  return ack.message;
}

const confirm = (socket: RecordingSocket, messageIds: string[]): Promise<CountAck> =>
  socket.socket.timeout(5000).emitWithAck('message_delivered', { messageIds });

describe('delivery receipts', () => {
  it('the first device to confirm sets deliveredAt; the sender hears once per message; two devices per user stay right', async () => {
    const [a, b] = [await registerUser(file.server.url), await registerUser(file.server.url)];
    const [aPhone, aLaptop, bPhone, bLaptop] = [await open(a), await open(a), await open(b), await open(b)];
    const m1 = await send(aPhone, b, 'one');
    const m2 = await send(aPhone, b, 'two');

    // Both of B's devices confirm both messages at once.
    const acks = await Promise.all([confirm(bPhone, [m1.id, m2.id]), confirm(bLaptop, [m2.id, m1.id])]);
    expect(acks.map((ack) => ack.ok && ack.count).reduce((x, y) => Number(x) + Number(y), 0)).toBe(2);
    await sleep(200);
    for (const device of [aPhone, aLaptop]) {
      const events = device.events<{ receiverId: string; messageIds: string[]; deliveredAt: string }>('messages_delivered');
      expect(events.flatMap((event) => event.messageIds).sort()).toEqual([m1.id, m2.id].sort());
      expect(events.every((event) => event.receiverId === b.user.id)).toBe(true);
    }
    expect(bPhone.events('messages_delivered')).toHaveLength(0);

    // Then B reads on the laptop: A's devices see read; B's phone clears its unread.
    await bLaptop.socket.timeout(5000).emitWithAck('mark_as_read', { senderId: a.user.id });
    for (const device of [aPhone, aLaptop, bPhone]) await device.waitFor('messages_read', 1);
    const sync = await getJson<SyncResponse>(file.server.url, `/api/sync?since=${encodeURIComponent(m1.createdAt)}`, a.accessToken);
    const final = sync.body.messages.filter((message) => [m1.id, m2.id].includes(message.id));
    expect(final.every((message) => message.isRead && message.deliveredAt !== null)).toBe(true);
  });

  it('a receiver can confirm only messages addressed to them', async () => {
    const [a, b, mallory] = [await registerUser(file.server.url), await registerUser(file.server.url), await registerUser(file.server.url)];
    const [aSocket, malSocket] = [await open(a), await open(mallory)];
    const message = await send(aSocket, b, 'for b');
    expect(await confirm(malSocket, [message.id])).toEqual({ ok: true, count: 0 });
    expect(await confirm(aSocket, [message.id])).toEqual({ ok: true, count: 0 });
    await sleep(100);
    expect(aSocket.events('messages_delivered')).toHaveLength(0);
  });
});

describe('GET /api/sync (catch-up)', () => {
  it('returns every change since a point, pages with (since, after), and includes receipt changes', async () => {
    const [a, b] = [await registerUser(file.server.url), await registerUser(file.server.url)];
    const [aSocket, bSocket] = [await open(a), await open(b)];
    const start = new Date(Date.now() - 1000).toISOString();
    const sent: Message[] = [];
    for (let i = 0; i < 7; i += 1) sent.push(await send(aSocket, b, `sync ${i}`));

    const collected: Message[] = [];
    let query = `since=${encodeURIComponent(start)}&limit=3`;
    for (let page = 0; page < 10; page += 1) {
      const { status, body } = await getJson<SyncResponse>(file.server.url, `/api/sync?${query}`, b.accessToken);
      expect(status).toBe(200);
      collected.push(...body.messages);
      if (!body.hasMore) break;
      query = `since=${encodeURIComponent(body.nextSince)}&after=${body.nextAfter}&limit=3`;
    }
    expect(collected.map((message) => message.id)).toEqual(sent.map((message) => message.id));

    // A read is a change too: it comes back with its new state.
    const last = (await getJson<SyncResponse>(file.server.url, `/api/sync?since=${encodeURIComponent(start)}`, b.accessToken)).body;
    await bSocket.socket.timeout(5000).emitWithAck('mark_as_read', { senderId: a.user.id });
    const changes = await getJson<SyncResponse>(
      file.server.url,
      `/api/sync?since=${encodeURIComponent(last.nextSince)}&after=${last.nextAfter}`,
      a.accessToken,
    );
    expect(changes.body.messages.map((message) => [message.id, message.isRead])).toEqual(sent.map((message) => [message.id, true]));
  });

  it('never returns other people’s messages and validates its query', async () => {
    const [a, b, c] = [await registerUser(file.server.url), await registerUser(file.server.url), await registerUser(file.server.url)];
    const aSocket = await open(a);
    await send(aSocket, b, 'private');
    const { body } = await getJson<SyncResponse>(file.server.url, `/api/sync?since=${encodeURIComponent(new Date(0).toISOString())}`, c.accessToken);
    expect(body.messages).toEqual([]);
    const bad = await getJson<{ error: { code: string } }>(file.server.url, '/api/sync?since=yesterday', c.accessToken);
    expect(bad.status).toBe(400);
  });
});
