import { afterAll, describe, expect, it } from 'vitest';
import { conversationKeyOf } from './messageStore.js';
import { createMongoMessageStore } from './mongoMessageStore.js';
import { prepareMessageStore } from './mongoMigration.js';
import { cmid, databaseForThisFile, newUserId } from '../../../test/mongoStoreTestKit.js';
import { ObjectId } from './storedMessage.js';

const file = databaseForThisFile();
const store = () => createMongoMessageStore(file.db);
const collection = (name: string) => file.db.collection(name);
const opened: ReturnType<typeof store>[] = [];
afterAll(async () => {
  for (const s of opened) await s.close();
});

/** A message as version 1 stored it: no conversation key, no participants, no summary. */
function oldMessage(sender: string, receiver: string, content: string, at: Date, isRead = false) {
  return {
    _id: ObjectId.createFromTime(Math.floor(at.getTime() / 1000)),
    sender: new ObjectId(sender),
    receiver: new ObjectId(receiver),
    clientMessageId: cmid(),
    content,
    createdAt: at,
    updatedAt: at,
    isRead,
    readAt: isRead ? at : null,
    deliveredAt: null,
    replyTo: null,
    editedAt: null,
    deletedAt: null,
  };
}

describe('migration at start', () => {
  it('gives old messages keys, builds summaries and partner lists, and running again changes nothing', async () => {
    const [a, b, c] = [newUserId(), newUserId(), newUserId()];
    const t = Date.now() - 60_000;
    await collection('messages').insertMany([
      oldMessage(a, b, 'a1', new Date(t)),
      oldMessage(b, a, 'b1', new Date(t + 1000), true),
      oldMessage(a, b, 'a2', new Date(t + 2000)),
      oldMessage(c, a, 'c1', new Date(t + 3000)),
    ]);
    await collection('meta').deleteOne({ _id: 'messageStore' } as never);
    const lines: string[] = [];
    await prepareMessageStore(file.db, (line) => lines.push(line));
    expect(lines.some((line) => /conversation keys on \d+ messages/.test(line))).toBe(true);
    expect(await collection('messages').countDocuments({ conversationKey: { $exists: false } })).toBe(0);

    const s = store();
    opened.push(s);
    const rows = async (user: string) => (await s.conversations(user, null, 10)).summaries.map((row) => [row.partnerId, row.lastMessage.content, row.unreadCount]);
    expect(await rows(a)).toEqual([[c, 'c1', 1], [b, 'a2', 0]]);
    expect(await rows(b)).toEqual([[a, 'a2', 2]]);
    expect((await s.partnersOf(a, 10)).sort()).toEqual([b, c].sort());
    expect(await s.pageBefore(a, b, null, 10)).toHaveLength(3);

    const snapshot = async () => ({
      conversations: await collection('conversations').find({}).sort({ _id: 1 }).toArray(),
      partners: (await collection('message_partners').find({}).sort({ _id: 1 }).toArray()).map((doc) => ({ ...doc, ids: [...(doc.ids as string[])].sort() })),
    });
    const before = await snapshot();
    await prepareMessageStore(file.db);
    expect(await snapshot()).toEqual(before);
    // Forced to run again from scratch: the same documents.
    await collection('meta').deleteOne({ _id: 'messageStore' } as never);
    await prepareMessageStore(file.db);
    expect(await snapshot()).toEqual(before);
  });
});

describe('crash repair', () => {
  it('rebuilds the summaries a dead node left unwritten: right unread count and last message', async () => {
    const [a, b] = [newUserId(), newUserId()];
    const s = store();
    opened.push(s);
    await s.insert({ sender: a, receiver: b, content: 'summarized', clientMessageId: cmid() });
    // A node stored two more and died before their summary, 40 s after its last beat.
    const now = Date.now();
    const lost = [oldMessage(a, b, 'lost 1', new Date(now + 1000)), oldMessage(a, b, 'lost 2', new Date(now + 2000))].map((doc) => ({
      ...doc,
      _id: new ObjectId(),
      conversationKey: conversationKeyOf(a, b),
      participants: [doc.sender, doc.receiver],
    }));
    await collection('messages').insertMany(lost);
    await collection('message_store_nodes').insertOne({
      _id: 'dead-node',
      summarizedUpTo: new Date(now - 5000),
      beatAt: new Date(now - 40_000),
      clean: false,
    } as never);
    // A live node's marker (beaten just now) is left alone.
    await collection('message_store_nodes').insertOne({ _id: 'live-node', summarizedUpTo: new Date(now - 5000), beatAt: new Date(now), clean: false } as never);
    const stale = (await s.conversations(b, null, 10)).summaries[0]!;
    expect([stale.unreadCount, stale.lastMessage.content]).toEqual([1, 'summarized']);

    const lines: string[] = [];
    await prepareMessageStore(file.db, (line) => lines.push(line));
    const repaired = (await s.conversations(b, null, 10)).summaries[0]!;
    expect([repaired.unreadCount, repaired.lastMessage.content]).toEqual([3, 'lost 2']);
    expect(lines.some((line) => line.includes('dead-node'))).toBe(true);
    expect(await collection('message_store_nodes').findOne({ _id: 'dead-node' } as never)).toBeNull();
    expect(await collection('message_store_nodes').findOne({ _id: 'live-node' } as never)).not.toBeNull();
    await collection('message_store_nodes').deleteOne({ _id: 'live-node' } as never);
  });

  it('a clean close leaves no marker behind', async () => {
    const s = store();
    await s.insert({ sender: newUserId(), receiver: newUserId(), content: 'x', clientMessageId: cmid() });
    expect(await collection('message_store_nodes').countDocuments({})).toBeGreaterThan(0);
    await s.close();
    for (const other of opened) await other.close();
    opened.length = 0;
    expect(await collection('message_store_nodes').countDocuments({})).toBe(0);
  });
});
