import { Types } from 'mongoose';
import {
  MessageSchema,
  REPLY_PREVIEW_MAX_LENGTH,
  type ConversationsResponse,
  type Message,
  type MessageAck,
  type SendMessageAck,
  type SyncResponse,
} from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { connectedSocket, conversationWith, getJson, registerUser, sleep, type RecordingSocket, type TestUser } from '../../test/clients.js';
import { serverForThisFile, startTestServer } from '../../test/testServer.js';

const file = serverForThisFile();
const open = (user: TestUser) => file.open(user);

async function pair() {
  return { a: await registerUser(file.server.url), b: await registerUser(file.server.url) };
}

async function sent(from: RecordingSocket, payload: { receiverId: string; content: string; replyToId?: string }): Promise<Message> {
  const ack: SendMessageAck = await from.socket.timeout(10_000).emitWithAck('send_message', payload);
  if (!ack.ok) throw new Error(`send failed: ${ack.error.code}`);
  return ack.message;
}

const edit = (from: RecordingSocket, payload: unknown): Promise<MessageAck> =>
  from.socket.timeout(10_000).emitWithAck('edit_message', payload as never);
const remove = (from: RecordingSocket, payload: unknown): Promise<MessageAck> =>
  from.socket.timeout(10_000).emitWithAck('delete_message', payload as never);

function okMessage(ack: MessageAck): Message {
  if (!ack.ok) throw new Error(`expected ok, got ${ack.error.code}`);
  return MessageSchema.strict().parse(ack.message);
}

const errorCode = (ack: MessageAck | SendMessageAck) => (ack.ok ? 'ok' : ack.error.code);

/** The stored document itself: no API shows storage, and "wiped" is a claim about storage. */
async function storedDocument(id: string): Promise<Record<string, unknown> | null> {
  return file.server.db.collection('messages').findOne({ _id: new Types.ObjectId(id) });
}

async function syncFrom(user: TestUser, since: string): Promise<Message[]> {
  const { body } = await getJson<SyncResponse>(file.server.url, `/api/sync?since=${encodeURIComponent(since)}&limit=100`, user.accessToken);
  return body.messages;
}

describe('replies (send_message with replyToId)', () => {
  it('stores a preview of the quoted message: its id, sender and first 200 characters', async () => {
    const { a, b } = await pair();
    const [aSocket, bSocket] = [await open(a), await open(b)];
    const long = 'x'.repeat(REPLY_PREVIEW_MAX_LENGTH) + 'TAIL';
    const original = await sent(bSocket, { receiverId: a.user.id, content: long });
    const reply = await sent(aSocket, { receiverId: b.user.id, content: 'answer', replyToId: original.id });
    expect(reply.replyTo).toEqual({ id: original.id, sender: b.user.id, content: 'x'.repeat(REPLY_PREVIEW_MAX_LENGTH) });
    const [, delivered] = await bSocket.waitFor<{ message: Message }>('new_message', 2);
    expect(delivered?.message.replyTo).toEqual(reply.replyTo);
    const history = await conversationWith(file.server.url, b, a.user.id);
    expect(history.at(-1)?.replyTo).toEqual(reply.replyTo);
    expect(history[0]?.replyTo).toBeNull();
  });

  it('refuses a replyToId of another conversation, or of no message, with VALIDATION_ERROR and stores nothing', async () => {
    const { a, b } = await pair();
    const c = await registerUser(file.server.url);
    const [aSocket, cSocket] = [await open(a), await open(c)];
    const elsewhere = await sent(cSocket, { receiverId: b.user.id, content: 'between c and b' });
    const refused = await aSocket.socket.timeout(5000).emitWithAck('send_message', { receiverId: b.user.id, content: 'hi', replyToId: elsewhere.id });
    expect(errorCode(refused)).toBe('VALIDATION_ERROR');
    const missing = await aSocket.socket
      .timeout(5000)
      .emitWithAck('send_message', { receiverId: b.user.id, content: 'hi', replyToId: new Types.ObjectId().toHexString() });
    expect(errorCode(missing)).toBe('VALIDATION_ERROR');
    expect(await conversationWith(file.server.url, a, b.user.id)).toEqual([]);
  });
});

describe('edit_message', () => {
  it('the sender edits: stored first, then message_updated to every socket of both people (once each), then the ack', async () => {
    const { a, b } = await pair();
    const [aSocket, aOther, bSocket] = [await open(a), await open(a), await open(b)];
    const original = await sent(aSocket, { receiverId: b.user.id, content: 'helo' });
    const edited = okMessage(await edit(aSocket, { messageId: original.id, content: '  hello  ' }));
    expect(edited).toMatchObject({ id: original.id, content: 'hello', createdAt: original.createdAt, deletedAt: null });
    expect(edited.editedAt).not.toBeNull();
    expect(edited.updatedAt > original.updatedAt).toBe(true);
    for (const socket of [aSocket, aOther, bSocket]) {
      expect(await socket.waitFor('message_updated')).toEqual([{ message: edited }]);
    }
    expect(await conversationWith(file.server.url, b, a.user.id)).toEqual([edited]);
    await sleep(100);
    for (const socket of [aSocket, aOther, bSocket]) expect(socket.events('message_updated')).toHaveLength(1);
  });

  it('the same text again changes nothing and announces nothing (a retried edit)', async () => {
    const { a, b } = await pair();
    const [aSocket, bSocket] = [await open(a), await open(b)];
    const original = await sent(aSocket, { receiverId: b.user.id, content: 'first' });
    const edited = okMessage(await edit(aSocket, { messageId: original.id, content: 'second' }));
    expect(okMessage(await edit(aSocket, { messageId: original.id, content: 'second' }))).toEqual(edited);
    await bSocket.waitFor('message_updated');
    await sleep(100);
    expect(bSocket.events('message_updated')).toHaveLength(1);
  });

  it('anyone but the sender gets FORBIDDEN; an unknown message NOT_FOUND; a bad payload VALIDATION_ERROR; nothing changes', async () => {
    const { a, b } = await pair();
    const [aSocket, bSocket] = [await open(a), await open(b)];
    const original = await sent(aSocket, { receiverId: b.user.id, content: 'mine' });
    expect(errorCode(await edit(bSocket, { messageId: original.id, content: 'yours now' }))).toBe('FORBIDDEN');
    expect(errorCode(await edit(aSocket, { messageId: new Types.ObjectId().toHexString(), content: 'x' }))).toBe('NOT_FOUND');
    expect(errorCode(await edit(aSocket, { messageId: original.id, content: '   ' }))).toBe('VALIDATION_ERROR');
    expect(errorCode(await edit(aSocket, { messageId: original.id, content: 'x'.repeat(4001) }))).toBe('VALIDATION_ERROR');
    expect(errorCode(await edit(aSocket, { messageId: 'nope', content: 'x' }))).toBe('VALIDATION_ERROR');
    expect(await conversationWith(file.server.url, a, b.user.id)).toEqual([original]);
    expect(aSocket.events('message_updated')).toEqual([]);
  });

  it('a deleted message cannot be edited (FORBIDDEN)', async () => {
    const { a, b } = await pair();
    const aSocket = await open(a);
    const original = await sent(aSocket, { receiverId: b.user.id, content: 'soon gone' });
    okMessage(await remove(aSocket, { messageId: original.id }));
    expect(errorCode(await edit(aSocket, { messageId: original.id, content: 'back!' }))).toBe('FORBIDDEN');
    expect((await storedDocument(original.id))?.content).toBe('');
  });

  it('reply previews follow the edit: the old text is nowhere the other person can read', async () => {
    const { a, b } = await pair();
    const [aSocket, bSocket] = [await open(a), await open(b)];
    const start = new Date(Date.now() - 1000).toISOString();
    const original = await sent(aSocket, { receiverId: b.user.id, content: 'meet at 5 SECRET' });
    const reply = await sent(bSocket, { receiverId: a.user.id, content: 'ok', replyToId: original.id });
    expect(reply.replyTo?.content).toBe('meet at 5 SECRET');
    okMessage(await edit(aSocket, { messageId: original.id, content: 'meet at 6' }));
    const history = await conversationWith(file.server.url, b, a.user.id);
    expect(history.map((message) => [message.content, message.replyTo?.content ?? null])).toEqual([
      ['meet at 6', null],
      ['ok', 'meet at 6'],
    ]);
    const everything = JSON.stringify([history, await syncFrom(b, start)]);
    expect(everything).not.toContain('SECRET');
  });
});

describe('delete_message', () => {
  it('the sender deletes for both people: content wiped in storage and in the previews quoting it; announced once; twice answers the same', async () => {
    const { a, b } = await pair();
    const [aSocket, bSocket] = [await open(a), await open(b)];
    const original = await sent(aSocket, { receiverId: b.user.id, content: 'oops, PRIVATE' });
    const reply = await sent(bSocket, { receiverId: a.user.id, content: 'what?', replyToId: original.id });
    const ownReply = await sent(aSocket, { receiverId: b.user.id, content: 'PRIVATE again', replyToId: reply.id });

    const deleted = okMessage(await remove(aSocket, { messageId: original.id }));
    expect(deleted).toMatchObject({ id: original.id, content: '', createdAt: original.createdAt, clientMessageId: original.clientMessageId });
    expect(deleted.deletedAt).not.toBeNull();
    expect(await bSocket.waitFor('message_updated')).toEqual([{ message: deleted }]);
    expect(await aSocket.waitFor('message_updated')).toEqual([{ message: deleted }]);

    const again = okMessage(await remove(aSocket, { messageId: original.id }));
    expect(again).toEqual(deleted);
    // A message that quoted another loses its quote with its own text.
    const deletedReply = okMessage(await remove(aSocket, { messageId: ownReply.id }));
    expect(deletedReply).toMatchObject({ content: '', replyTo: null });

    // Storage: no copy of the text in the message or in the reply that quoted it.
    expect(await storedDocument(original.id)).toMatchObject({ content: '' });
    expect(JSON.stringify(await storedDocument(original.id))).not.toContain('PRIVATE');
    expect(JSON.stringify(await storedDocument(ownReply.id))).not.toContain('PRIVATE');
    expect((await storedDocument(reply.id))?.replyTo).toMatchObject({ content: '' });
    const history = await conversationWith(file.server.url, b, a.user.id);
    expect(JSON.stringify(history)).not.toContain('PRIVATE');
    expect(history.find((message) => message.id === reply.id)?.replyTo).toEqual({ id: original.id, sender: a.user.id, content: '' });

    await sleep(100);
    expect(bSocket.events<{ message: Message }>('message_updated').map((event) => event.message.id)).toEqual([original.id, ownReply.id]);
  });

  it('anyone but the sender gets FORBIDDEN and the message stays', async () => {
    const { a, b } = await pair();
    const [aSocket, bSocket] = [await open(a), await open(b)];
    const original = await sent(aSocket, { receiverId: b.user.id, content: 'keep me' });
    expect(errorCode(await remove(bSocket, { messageId: original.id }))).toBe('FORBIDDEN');
    expect(errorCode(await remove(bSocket, { messageId: new Types.ObjectId().toHexString() }))).toBe('NOT_FOUND');
    expect(await conversationWith(file.server.url, a, b.user.id)).toEqual([original]);
  });

  it('an edit racing a delete never brings text back', async () => {
    const { a, b } = await pair();
    const aSocket = await open(a);
    for (let round = 0; round < 5; round += 1) {
      const original = await sent(aSocket, { receiverId: b.user.id, content: `round ${round}` });
      const acks = await Promise.all([
        edit(aSocket, { messageId: original.id, content: `edited ${round}` }),
        remove(aSocket, { messageId: original.id }),
        edit(aSocket, { messageId: original.id, content: `edited again ${round}` }),
      ]);
      expect(acks.map(errorCode)).toEqual(['ok', 'ok', 'FORBIDDEN']);
      expect(await storedDocument(original.id)).toMatchObject({ content: '' });
    }
  });
});

describe('catch-up and conversation list', () => {
  it('GET /api/sync returns edits and deletes after the position a device had (updatedAt moves)', async () => {
    const { a, b } = await pair();
    const aSocket = await open(a);
    const kept = await sent(aSocket, { receiverId: b.user.id, content: 'typo heer' });
    const gone = await sent(aSocket, { receiverId: b.user.id, content: 'regret' });
    const untouched = await sent(aSocket, { receiverId: b.user.id, content: 'fine' });
    const position = new Date().toISOString();
    await sleep(20);
    const edited = okMessage(await edit(aSocket, { messageId: kept.id, content: 'typo here' }));
    const deleted = okMessage(await remove(aSocket, { messageId: gone.id }));
    const changes = await syncFrom(b, position);
    expect(changes).toEqual([edited, deleted]);
    expect(changes.map((message) => message.id)).not.toContain(untouched.id);
  });

  it('the conversation list preview follows an edit and a delete of the last message', async () => {
    const { a, b } = await pair();
    const aSocket = await open(a);
    const last = await sent(aSocket, { receiverId: b.user.id, content: 'draft' });
    const lastMessage = async () =>
      (await getJson<ConversationsResponse>(file.server.url, '/api/conversations', b.accessToken)).body.conversations[0]?.lastMessage;
    okMessage(await edit(aSocket, { messageId: last.id, content: 'final' }));
    expect(await lastMessage()).toMatchObject({ id: last.id, content: 'final' });
    okMessage(await remove(aSocket, { messageId: last.id }));
    expect(await lastMessage()).toMatchObject({ id: last.id, content: '' });
    expect((await lastMessage())?.deletedAt).not.toBeNull();
  });
});

describe('rate limit', () => {
  it('edits and deletes spend a per-user bucket: past it, RATE_LIMITED and nothing changes', async () => {
    const server = await startTestServer({ sendRate: { perSecond: 0.001, burst: 3 } });
    try {
      const [a, b] = [await registerUser(server.url), await registerUser(server.url)];
      const aSocket = await connectedSocket(server.url, a.accessToken);
      const original = await sent(aSocket, { receiverId: b.user.id, content: 'v0' });
      const codes = [];
      for (let i = 1; i <= 4; i += 1) codes.push(errorCode(await edit(aSocket, { messageId: original.id, content: `v${i}` })));
      expect(codes).toEqual(['ok', 'ok', 'ok', 'RATE_LIMITED']);
      expect(errorCode(await remove(aSocket, { messageId: original.id }))).toBe('RATE_LIMITED');
      expect((await conversationWith(server.url, a, b.user.id))[0]?.content).toBe('v3');
      aSocket.close();
    } finally {
      await server.close();
    }
  });
});
