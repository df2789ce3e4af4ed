import { afterAll, describe, expect, it } from 'vitest';
import { ConversationSummaries } from './conversationSummaries.js';
import { conversationKeyOf } from './messageStore.js';
import { createMongoMessageStore } from './mongoMessageStore.js';
import { cmid, databaseForThisFile, newUserId } from '../../../test/mongoStoreTestKit.js';
import { storeCollections } from './storedMessage.js';

// The Mongo store against the real test database (FerretDB here, MongoDB in CI when configured).
const file = databaseForThisFile();
const stores: ReturnType<typeof createMongoMessageStore>[] = [];
function store() {
  const created = createMongoMessageStore(file.db);
  stores.push(created);
  return created;
}
afterAll(async () => {
  for (const created of stores) await created.close();
});

const send = (s: ReturnType<typeof store>, sender: string, receiver: string, content = 'hi', clientMessageId = cmid()) =>
  s.insert({ sender, receiver, content, clientMessageId });

describe('group commit', () => {
  it('stores sends that arrive together, each with its own outcome; a repeated (sender, clientMessageId) gets the stored copy', async () => {
    const s = store();
    const [a, b, c] = [newUserId(), newUserId(), newUserId()];
    const outcomes = await Promise.all([send(s, a, b, 'one', 'same-id-1'), send(s, a, b, 'again', 'same-id-1'), send(s, c, b, 'three')]);
    const created = outcomes.filter((outcome) => outcome.kind === 'created');
    const duplicates = outcomes.filter((outcome) => outcome.kind === 'duplicate');
    expect(created).toHaveLength(2);
    expect(duplicates).toHaveLength(1);
    expect(duplicates[0]!.message.id).toBe(outcomes[0]!.message.id);
    expect(duplicates[0]!.message.content).toBe('one');
    const retried = await send(s, a, b, 'later', 'same-id-1');
    expect(retried).toMatchObject({ kind: 'duplicate', message: { id: outcomes[0]!.message.id } });
    expect(await file.db.collection('messages').countDocuments({ conversationKey: conversationKeyOf(a, b) })).toBe(1);
  });

  it('says startedConversation for the first message of a pair only, and both become partners', async () => {
    const s = store();
    const [a, b, c] = [newUserId(), newUserId(), newUserId()];
    const first = await Promise.all([send(s, a, b), send(s, a, c)]);
    expect(first.map((outcome) => outcome.kind === 'created' && outcome.startedConversation)).toEqual([true, true]);
    const later = await Promise.all([send(s, b, a), send(s, a, b)]);
    expect(later.map((outcome) => outcome.kind === 'created' && outcome.startedConversation)).toEqual([false, false]);
    // A fresh store (another node, or after a restart) learns it from the summary, by _id, once
    // that is written (summaries follow the acks; within that lag another node may say "started"
    // a second time, which only repeats an idempotent start of watching).
    await s.drain();
    expect(await send(store(), c, a)).toMatchObject({ kind: 'created', startedConversation: false });
    expect((await s.partnersOf(a, 10)).sort()).toEqual([b, c].sort());
    expect(await s.partnersOf(b, 10)).toEqual([a]);
  });
});

describe('the conversation list', () => {
  it('pages 300 conversations: each exactly once, newest activity first, with unread counts', async () => {
    const s = store();
    const me = newUserId();
    const partners = Array.from({ length: 300 }, newUserId);
    await Promise.all(partners.map((partner) => send(s, partner, me, `from ${partner}`)));
    // The oldest conversation gets the newest activity.
    await send(s, me, partners[0]!, 'newest');
    const seen: string[] = [];
    let before: string | null = null;
    let pages = 0;
    do {
      const page = await s.conversations(me, before, 40);
      seen.push(...page.summaries.map((summary) => summary.partnerId));
      for (const summary of page.summaries) expect(summary.unreadCount).toBe(1);
      before = page.nextCursor;
      pages += 1;
    } while (before);
    expect(pages).toBe(8);
    expect(seen).toHaveLength(300);
    expect(new Set(seen).size).toBe(300);
    expect(seen[0]).toBe(partners[0]);
    const first = await s.conversations(me, null, 1);
    expect(first.summaries[0]!.lastMessage.content).toBe('newest');
    await expect(s.conversations(me, 'not-a-cursor', 10)).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
  });

  it('keeps the summary true through read, delivered, edit and delete', async () => {
    const s = store();
    const [a, b] = [newUserId(), newUserId()];
    const sent = [];
    for (let i = 0; i < 3; i += 1) sent.push(await send(s, a, b, `m${i}`));
    const ids = sent.map((outcome) => outcome.message.id);
    const row = async () => (await s.conversations(b, null, 10)).summaries[0]!;
    expect(await row()).toMatchObject({ partnerId: a, unreadCount: 3, lastMessage: { id: ids[2], deliveredAt: null } });

    const at = new Date();
    const claimed = await s.markDelivered(b, [...ids, ...ids], at);
    expect(claimed.map((entry) => entry.id).sort()).toEqual([...ids].sort());
    expect(await s.markDelivered(b, ids, new Date())).toEqual([]);
    expect(await s.markDelivered(a, ids, new Date())).toEqual([]);
    expect((await row()).lastMessage.deliveredAt).toBe(at.toISOString());

    await s.applyEdit(ids[2]!, 'edited', new Date());
    expect((await row()).lastMessage).toMatchObject({ content: 'edited', isRead: false });
    expect(await s.markRead(b, a, new Date())).toBe(3);
    expect(await s.markRead(b, a, new Date())).toBe(0);
    expect(await row()).toMatchObject({ unreadCount: 0, lastMessage: { isRead: true, content: 'edited' } });
    await s.applyDelete(ids[2]!, new Date());
    expect((await row()).lastMessage).toMatchObject({ content: '', deletedAt: expect.any(String) });
    expect((await s.conversations(a, null, 10)).summaries[0]).toMatchObject({ partnerId: b, unreadCount: 0 });
  });
});

describe('mark read and the summary count', () => {
  const summaries = () => new ConversationSummaries(storeCollections(file.db));
  /** Sets a count by hand, once the summary writes behind the acks are done. */
  const setUnread = async (s: ReturnType<typeof store>, key: string, user: string, count: number) => {
    await s.drain();
    await file.db.collection('conversations').updateOne({ _id: key } as never, { $set: { [`unread.${user}`]: count } });
  };

  // The count is trusted only while no other node (here: another store) has a crash-repair marker.
  const onlyStore = async () => {
    for (const other of stores.splice(0)) await other.close();
    return store();
  };

  it('trusts a count of 0 (no scan, no write) until a rebuild recounts; then the next read marks', async () => {
    const s = await onlyStore();
    const [a, b] = [newUserId(), newUserId()];
    const sent = await send(s, a, b);
    const key = conversationKeyOf(a, b);
    // As after a failed summary write: the message is stored, the count does not have it.
    await setUnread(s, key, b, 0);
    expect(await s.markRead(b, a, new Date())).toBe(0);
    expect(await s.findById(sent.message.id)).toMatchObject({ isRead: false });
    await summaries().rebuild(key);
    expect(await s.markRead(b, a, new Date())).toBe(1);
    expect(await s.findById(sent.message.id)).toMatchObject({ isRead: true });
  });

  it('reads the messages whatever the count while another node may have summaries still to write', async () => {
    const s = await onlyStore();
    const [a, b] = [newUserId(), newUserId()];
    await send(s, a, b);
    // Another node that has stored a message: its marker stays until it closes.
    const other = store();
    await send(other, newUserId(), newUserId());
    await setUnread(s, conversationKeyOf(a, b), b, 0);
    expect(await s.markRead(b, a, new Date())).toBe(1);
    await other.close();
  });

  it('mends a count left high: the read covering the last message recounts it', async () => {
    const s = store();
    const [a, b] = [newUserId(), newUserId()];
    await send(s, a, b);
    await setUnread(s, conversationKeyOf(a, b), b, 5);
    expect(await s.markRead(b, a, new Date())).toBe(1);
    expect((await s.conversations(b, null, 10)).summaries[0]).toMatchObject({ unreadCount: 0, lastMessage: { isRead: true } });
  });

  it('never zeroes the count of a message created up to the read but stored after it looked', async () => {
    const s = store();
    const [a, b] = [newUserId(), newUserId()];
    const late = await send(s, a, b);
    await s.drain();
    // The read's bulk write missed it, yet it is the summary's last message and counted: what
    // group commit allows (createdAt is stamped before the insert lands).
    await summaries().afterRead(conversationKeyOf(a, b), b, { at: new Date(), changedAt: new Date() }, 0);
    expect((await s.conversations(b, null, 10)).summaries[0]).toMatchObject({ unreadCount: 1, lastMessage: { id: late.message.id, isRead: false } });
    expect(await s.markRead(b, a, new Date())).toBe(1);
  });
});
