import { MessageSchema, type Message, type MessagesPage, type SendMessageAck } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import {
  connectedSocket,
  conversationPartnersOf,
  conversationWith,
  getJson,
  registerUser,
  sleep,
  type RecordingSocket,
  type TestUser,
} from '../../test/clients.js';
import { serverForThisFile, startTestServer } from '../../test/testServer.js';

const file = serverForThisFile();
const open = (user: TestUser) => file.open(user);

function send(from: RecordingSocket, payload: unknown): Promise<SendMessageAck> {
  return from.socket.timeout(10_000).emitWithAck('send_message', payload as never);
}

async function pair() {
  return { a: await registerUser(file.server.url), b: await registerUser(file.server.url) };
}

describe('send_message (Day 3 checklist)', () => {
  it('stores first, then delivers to sender and receiver, then acks with the stored message', async () => {
    const { a, b } = await pair();
    const [aSocket, bSocket] = [await open(a), await open(b)];
    const ack = await send(aSocket, { receiverId: b.user.id, content: '  Hello, Bob  ' });
    expect(ack.ok).toBe(true);
    if (!ack.ok) return;
    const message = MessageSchema.strict().parse(ack.message);
    expect(message).toMatchObject({ sender: a.user.id, receiver: b.user.id, content: 'Hello, Bob', isRead: false, readAt: null, deliveredAt: null });
    expect(message.clientMessageId).toMatch(/^[A-Za-z0-9_-]{8,64}$/);

    const [toSender] = await aSocket.waitFor<{ message: Message }>('new_message');
    const [toReceiver] = await bSocket.waitFor<{ message: Message }>('new_message');
    expect(toSender).toEqual({ message });
    expect(toReceiver).toEqual({ message });
    expect(await conversationWith(file.server.url, b, a.user.id)).toEqual([message]);
  });

  it('ignores any sender identity in the payload', async () => {
    const { a, b } = await pair();
    const mallory = await registerUser(file.server.url);
    const aSocket = await open(a);
    const ack = await send(aSocket, { receiverId: b.user.id, content: 'mine', senderId: mallory.user.id, sender: mallory.user.id });
    expect(ack.ok && ack.message.sender).toBe(a.user.id);
    const stored = await conversationWith(file.server.url, b, a.user.id);
    expect(stored.map((message) => [message.sender, message.content])).toEqual([[a.user.id, 'mine']]);
    expect(await conversationPartnersOf(file.server.url, mallory)).toEqual([]);
  });

  it('delivers 100 messages sent back to back in order, and stores them in order', async () => {
    const { a, b } = await pair();
    const [aSocket, bSocket] = [await open(a), await open(b)];
    const acks = await Promise.all(Array.from({ length: 100 }, (_, i) => send(aSocket, { receiverId: b.user.id, content: `m${i}` })));
    expect(acks.every((ack) => ack.ok)).toBe(true);
    const received = await bSocket.waitFor<{ message: Message }>('new_message', 100);
    expect(received.map(({ message }) => message.content)).toEqual(Array.from({ length: 100 }, (_, i) => `m${i}`));
    const history = await getJson<MessagesPage>(file.server.url, `/api/messages/${a.user.id}?limit=100`, b.accessToken);
    expect(history.body.messages.map((message) => message.content)).toEqual(Array.from({ length: 100 }, (_, i) => `m${i}`));
  });

  it('reaches every socket once: a receiver with 3 sockets gets 3, the sender’s 2 sockets one each', async () => {
    const { a, b } = await pair();
    const senderTabs = [await open(a), await open(a)];
    const receiverTabs = [await open(b), await open(b), await open(b)];
    const ack = await send(senderTabs[0]!, { receiverId: b.user.id, content: 'to all tabs' });
    expect(ack.ok).toBe(true);
    await sleep(200);
    for (const tab of [...senderTabs, ...receiverTabs]) expect(tab.events('new_message')).toHaveLength(1);
  });

  it('lets an offline receiver find the messages through history', async () => {
    const { a, b } = await pair();
    const aSocket = await open(a);
    await send(aSocket, { receiverId: b.user.id, content: 'while you were away' });
    const history = await getJson<MessagesPage>(file.server.url, `/api/messages/${a.user.id}`, b.accessToken);
    expect(history.status).toBe(200);
    expect(history.body.messages.map((message) => message.content)).toEqual(['while you were away']);
    expect(history.body.nextCursor).toBeNull();
  });

  it('stores a retried clientMessageId once and answers both sends with the same message', async () => {
    const { a, b } = await pair();
    const [aSocket, bSocket] = [await open(a), await open(b)];
    const payload = { receiverId: b.user.id, content: 'only once', clientMessageId: 'retry-me-123' };
    const [first, second] = await Promise.all([send(aSocket, payload), send(aSocket, payload)]);
    const third = await send(aSocket, payload);
    expect(first.ok && second.ok && third.ok).toBe(true);
    if (!first.ok || !second.ok || !third.ok) return;
    expect(second.message.id).toBe(first.message.id);
    expect(third.message.id).toBe(first.message.id);
    expect((await conversationWith(file.server.url, a, b.user.id)).map((message) => message.id)).toEqual([first.message.id]);
    await sleep(200);
    expect(bSocket.events('new_message')).toHaveLength(1);
    expect(aSocket.events('new_message')).toHaveLength(1);
  });

  it.each([
    ['empty content', (b: string) => ({ receiverId: b, content: '   ' })],
    ['content over 4000 characters', (b: string) => ({ receiverId: b, content: 'x'.repeat(4001) })],
    ['a missing receiver', () => ({ content: 'hi' })],
    ['an operator as receiver', () => ({ receiverId: { $ne: null }, content: 'hi' })],
    ['a bad clientMessageId', (b: string) => ({ receiverId: b, content: 'hi', clientMessageId: 'bad id!' })],
    ['no payload at all', () => undefined],
  ])('answers VALIDATION_ERROR for %s and stores nothing', async (_label, makePayload) => {
    const { a, b } = await pair();
    const aSocket = await open(a);
    const ack = await send(aSocket, makePayload(b.user.id));
    expect(ack).toEqual({ ok: false, error: expect.objectContaining({ code: 'VALIDATION_ERROR' }) });
    expect(await conversationPartnersOf(file.server.url, a)).toEqual([]);
    expect(aSocket.events('new_message')).toHaveLength(0);
  });

  it('refuses sending to yourself and to an unknown user', async () => {
    const { a } = await pair();
    const aSocket = await open(a);
    const self = await send(aSocket, { receiverId: a.user.id, content: 'me' });
    expect(self.ok === false && self.error.code).toBe('VALIDATION_ERROR');
    const unknown = await send(aSocket, { receiverId: 'abcdefabcdefabcdefabcdef', content: 'who' });
    expect(unknown.ok === false && unknown.error.code).toBe('NOT_FOUND');
  });
});

describe('history paging', () => {
  it('walks the whole history with a small limit, no gap and no repeat, while messages keep arriving', async () => {
    const { a, b } = await pair();
    const [aSocket, bSocket] = [await open(a), await open(b)];
    for (let i = 0; i < 23; i += 1) await send(i % 2 ? bSocket : aSocket, { receiverId: i % 2 ? a.user.id : b.user.id, content: `old ${i}` });

    const seen: string[] = [];
    let before: string | null | undefined;
    let page = 0;
    do {
      const query = before ? `?limit=5&before=${before}` : '?limit=5';
      const { body } = await getJson<MessagesPage>(file.server.url, `/api/messages/${b.user.id}${query}`, a.accessToken);
      seen.unshift(...body.messages.map((message) => message.content));
      before = body.nextCursor;
      // New messages land between pages; they must not disturb the walk back.
      await send(aSocket, { receiverId: b.user.id, content: `new ${page}` });
      page += 1;
    } while (before && page < 20);

    // Exactly the history that existed when the walk began, oldest first: no gap, no repeat.
    expect(seen).toEqual(Array.from({ length: 23 }, (_, i) => `old ${i}`));
  });

  it('refuses a cursor from another conversation and a bad limit', async () => {
    const { a, b } = await pair();
    const c = await registerUser(file.server.url);
    const aSocket = await open(a);
    const other = await send(aSocket, { receiverId: c.user.id, content: 'elsewhere' });
    if (!other.ok) throw new Error('send failed');
    const foreign = await getJson<{ error: { code: string } }>(file.server.url, `/api/messages/${b.user.id}?before=${other.message.id}`, a.accessToken);
    expect(foreign.status).toBe(400);
    const badLimit = await getJson<{ error: { code: string } }>(file.server.url, `/api/messages/${b.user.id}?limit=1000`, a.accessToken);
    expect(badLimit.status).toBe(400);
    const badId = await getJson<{ error: { code: string } }>(file.server.url, `/api/messages/not-an-id`, a.accessToken);
    expect(badId.body.error.code).toBe('VALIDATION_ERROR');
  });
});

describe('GET /api/conversations', () => {
  it('lists partners newest first with the last message and my unread count', async () => {
    const me = await registerUser(file.server.url);
    const [p1, p2] = [await registerUser(file.server.url), await registerUser(file.server.url)];
    const [meSocket, p1Socket, p2Socket] = [await open(me), await open(p1), await open(p2)];
    await send(p1Socket, { receiverId: me.user.id, content: 'p1 first' });
    await send(p1Socket, { receiverId: me.user.id, content: 'p1 second' });
    await send(p2Socket, { receiverId: me.user.id, content: 'p2 only' });
    await send(meSocket, { receiverId: p1.user.id, content: 'me to p1, newest' });

    const { body } = await getJson<{ conversations: { user: { id: string }; lastMessage: Message; unreadCount: number }[] }>(
      file.server.url,
      '/api/conversations',
      me.accessToken,
    );
    expect(body.conversations.map((c) => [c.user.id, c.lastMessage.content, c.unreadCount])).toEqual([
      [p1.user.id, 'me to p1, newest', 2],
      [p2.user.id, 'p2 only', 1],
    ]);
    expect(JSON.stringify(body)).not.toMatch(/passwordHash|"_id"|__v/);
  });
});

describe('send rate limit', () => {
  it('answers RATE_LIMITED past the burst and stores nothing more', async () => {
    const limited = await startTestServer({ sendRate: { perSecond: 0.5, burst: 3 } });
    try {
      const a = await registerUser(limited.url);
      const b = await registerUser(limited.url);
      const aSocket = await connectedSocket(limited.url, a.accessToken);
      const acks: SendMessageAck[] = [];
      for (let i = 0; i < 5; i += 1) acks.push(await aSocket.socket.timeout(5000).emitWithAck('send_message', { receiverId: b.user.id, content: `flood ${i}` }));
      expect(acks.map((ack) => (ack.ok ? 'ok' : ack.error.code))).toEqual(['ok', 'ok', 'ok', 'RATE_LIMITED', 'RATE_LIMITED']);
      expect((await conversationWith(limited.url, a, b.user.id)).map((message) => message.content)).toEqual(['flood 0', 'flood 1', 'flood 2']);
      aSocket.close();
    } finally {
      await limited.close();
    }
  });
});
