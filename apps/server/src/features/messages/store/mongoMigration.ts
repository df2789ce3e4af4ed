import type { Connection } from 'mongoose';
import { RETIRED_MESSAGE_INDEXES } from '../message.model.js';
import { bulkInChunks, ConversationSummaries } from './conversationSummaries.js';
import { conversationKeyOf } from './messageStore.js';
import { repairDeadNodes } from './nodeMarker.js';
import { isNewer, storeCollections, type ObjectId, type StoreCollections, type StoredMessage } from './storedMessage.js';

/** The store version this code writes; recorded in `meta` once a database is migrated to it. */
export const MESSAGE_STORE_VERSION = 2;
const META_ID = 'messageStore';
const KEY_BATCH = 500;
const PROGRESS_EVERY = 5000;

/**
 * Brings a database to the current store (ADR 0019), then repairs what crashed nodes left.
 * Called at start, after the indexes exist, before the server serves. Idempotent: a database
 * already at MESSAGE_STORE_VERSION is only checked for dead nodes' markers.
 */
export async function prepareMessageStore(connection: Connection, log: (line: string) => void = () => undefined): Promise<void> {
  const c = storeCollections(connection);
  const meta = (await c.meta.findOne({ _id: META_ID } as never)) as { version?: number } | null;
  if ((meta?.version ?? 0) < MESSAGE_STORE_VERSION) {
    await addConversationKeys(c, log);
    await buildSummaries(c, log);
    for (const name of RETIRED_MESSAGE_INDEXES) await c.messages.dropIndex(name).catch(() => undefined);
    await markMigrated(connection);
    log(`message store: at version ${MESSAGE_STORE_VERSION}`);
  }
  await repairDeadNodes(c, new ConversationSummaries(c), log);
}

/** Records that the database is at the current store version (also for tools that seed it in that shape). */
export async function markMigrated(connection: Connection): Promise<void> {
  await storeCollections(connection).meta.updateOne(
    { _id: META_ID } as never,
    { $set: { version: MESSAGE_STORE_VERSION, migratedAt: new Date() } },
    { upsert: true },
  );
}

/** Messages of earlier versions get their conversation key and participants, 50 updates at a time. */
async function addConversationKeys(c: StoreCollections, log: (line: string) => void): Promise<void> {
  let done = 0;
  for (;;) {
    const batch = (await c.messages
      .find({ conversationKey: { $exists: false } }, { projection: { sender: 1, receiver: 1 } })
      .limit(KEY_BATCH)
      .toArray()) as unknown as Pick<StoredMessage, '_id' | 'sender' | 'receiver'>[];
    if (batch.length === 0) break;
    await bulkInChunks(
      c.messages,
      batch.map((doc) => ({
        updateOne: {
          filter: { _id: doc._id },
          update: { $set: { conversationKey: conversationKeyOf(doc.sender.toHexString(), doc.receiver.toHexString()), participants: [doc.sender, doc.receiver] } },
        },
      })),
    );
    const before = done;
    done += batch.length;
    if (Math.floor(done / PROGRESS_EVERY) > Math.floor(before / PROGRESS_EVERY) || batch.length < KEY_BATCH) {
      log(`message store migration: conversation keys on ${done} messages`);
    }
  }
}

/**
 * One streaming pass over every message builds every summary and partner list in memory (a
 * newest message and two counts per conversation), then writes them, 50 at a time. Sets the
 * fields outright, so running it again yields the same documents.
 */
async function buildSummaries(c: StoreCollections, log: (line: string) => void): Promise<void> {
  const byKey = new Map<string, { newest: StoredMessage; unread: Map<string, number> }>();
  let seen = 0;
  for await (const raw of c.messages.find({})) {
    const doc = raw as unknown as StoredMessage;
    const entry = byKey.get(doc.conversationKey) ?? { newest: doc, unread: new Map<string, number>() };
    if (isNewer(doc, entry.newest)) entry.newest = doc;
    const receiver = doc.receiver.toHexString();
    if (!doc.isRead) entry.unread.set(receiver, (entry.unread.get(receiver) ?? 0) + 1);
    byKey.set(doc.conversationKey, entry);
    seen += 1;
    if (seen % PROGRESS_EVERY === 0) log(`message store migration: read ${seen} messages`);
  }
  const partners = new Map<string, Set<string>>();
  const summaryOps = [...byKey].map(([key, { newest, unread }]) => {
    const ids = key.split(':');
    for (const me of ids) for (const other of ids) if (me !== other) partners.set(me, (partners.get(me) ?? new Set<string>()).add(other));
    const counts = Object.fromEntries(ids.map((user) => [`unread.${user}`, unread.get(user) ?? 0]));
    const participants: ObjectId[] = [newest.sender, newest.receiver].sort((x, y) => x.toHexString().localeCompare(y.toHexString()));
    return {
      updateOne: {
        filter: { _id: key },
        update: { $set: { participants, lastMessage: newest, lastActivityAt: newest.createdAt, ...counts } },
        upsert: true,
      },
    };
  });
  await bulkInChunks(c.conversations, summaryOps);
  const partnerOps = [...partners].map(([user, ids]) => ({
    updateOne: { filter: { _id: user }, update: { $addToSet: { ids: { $each: [...ids] } } }, upsert: true },
  }));
  await bulkInChunks(c.partners, partnerOps);
  log(`message store migration: ${seen} messages, ${byKey.size} conversation summaries, ${partners.size} partner lists`);
}
