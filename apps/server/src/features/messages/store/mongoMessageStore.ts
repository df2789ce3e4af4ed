import type { AnyBulkWriteOperation, Connection } from 'mongoose';
import { GroupCommit, type Settled } from '../../../lib/groupCommit.js';
import { ConversationSummaries } from './conversationSummaries.js';
import { conversationKeyOf, type InsertOutcome, type MessageStore, type NewMessage } from './messageStore.js';
import { NODE_BEAT_MS, NodeMarker, repairDeadNodes } from './nodeMarker.js';
import { isNewer, newStoredMessage, oid, storeCollections, toMessage, type StoreCollections, type StoredMessage } from './storedMessage.js';

const DUPLICATE_KEY = 11000;
/**
 * Receipt writes per bulkWrite, each by `_id`. FerretDB on SQLite keeps its one writer for a
 * whole update command, so one bulk update of 60 messages stalled everyone's sends for its
 * length; writes this small let other users' writes in between.
 */
const RECEIPT_WRITE_CHUNK = 10;
const SUMMARY_LINGER_MS = 50;

export interface MongoStoreOptions {
  /** Group commit: gathering window while a batch is in flight (ms), and batch size. */
  windowMs?: number;
  maxBatch?: number;
  /** The clock of the messages' createdAt and updatedAt (tests move it by hand). */
  now?: () => Date;
  log?: (line: string) => void;
}

type InsertResult = { ok: true } | { ok: false; error: unknown };
/** A message after its batch's insert: its result, and whether it started its conversation. */
type Staged = { doc: StoredMessage; result: InsertResult; started: boolean };

/** Per-document outcome of an unordered insertMany: which failed, and how. */
async function insertUnordered(c: StoreCollections, docs: StoredMessage[]): Promise<InsertResult[]> {
  try {
    await c.messages.insertMany(docs, { ordered: false });
    return docs.map(() => ({ ok: true }));
  } catch (error) {
    // A bulk write error names each failed document; anything else (an outage) failed them all.
    const writeErrors = (error as { writeErrors?: unknown }).writeErrors;
    const list = (Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : []) as { index?: unknown; code?: number }[];
    if (list.length === 0 || !list.every((writeError) => typeof writeError.index === 'number')) throw error;
    const results: InsertResult[] = docs.map(() => ({ ok: true }));
    for (const writeError of list) results[writeError.index as number] = { ok: false, error: writeError };
    return results;
  }
}

const isDuplicate = (result: InsertResult) => !result.ok && (result.error as { code?: number }).code === DUPLICATE_KEY;

/**
 * The MongoDB implementation of MessageStore (issue 10, ADRs 0019 and 0020), on the driver's
 * collections of the mongoose connection. Sends go through group commit: one insertMany per
 * batch, then one summary upsert per conversation of the batch. Works on MongoDB >= 6 and on
 * FerretDB 1.24, where the send path reads only by `_id`.
 */
export function createMongoMessageStore(connection: Connection, options: MongoStoreOptions = {}): MessageStore & { close(): Promise<void> } {
  const c = storeCollections(connection);
  const log = options.log ?? (() => undefined);
  const now = options.now ?? (() => new Date());
  const summaries = new ConversationSummaries(c);
  const marker = new NodeMarker(c);
  /** Start times of batches being written: the marker never claims past the oldest. */
  const inFlightSince = new Set<Date>();
  /** Conversations whose summary write failed: rebuilt by the next beat (and by a repair if we die). */
  const unsummarized = new Map<string, Date>();

  function markUnsummarized(key: string, at: Date): void {
    if (!unsummarized.has(key)) unsummarized.set(key, at);
  }

  async function rebuildUnsummarized(): Promise<void> {
    for (const [key] of [...unsummarized]) {
      await summaries.rebuild(key);
      unsummarized.delete(key);
    }
  }

  /**
   * A send's write: the batch's insert, plus, for a conversation's first messages, the partner
   * lists. The summaries are written behind it (`summarize`): the ack does not wait for them, so
   * on FerretDB, where every update is a transaction of its own, a send costs one shared insert;
   * a read of a summary on this node waits for what is pending first (`summariesWritten`).
   */
  async function commitInserts(items: NewMessage[]): Promise<Settled<Staged>[]> {
    const startedAt = new Date();
    inFlightSince.add(startedAt);
    let summarized: Promise<void> = Promise.resolve();
    try {
      await marker.ensure(startedAt);
      const createdAt = now();
      const docs = items.map((item) => newStoredMessage(item, conversationKeyOf(item.sender, item.receiver), createdAt));
      const fresh = await summaries.unsummarized(docs.map((doc) => doc.conversationKey));
      const results = await insertUnordered(c, docs);
      const created = docs.filter((_, index) => results[index]!.ok);
      const startedKeys = [...fresh].filter((key) => created.some((doc) => doc.conversationKey === key));
      await summaries.started(startedKeys);
      // Submitted in batch order (one insert batch in flight), so summaries never go backwards.
      if (created.length > 0) summarized = summarize(created, startedAt);
      const firstOf = new Set(startedKeys.map((key) => created.find((doc) => doc.conversationKey === key)!._id.toHexString()));
      return docs.map((doc, index) => ({ ok: true, value: { doc, result: results[index]!, started: firstOf.has(doc._id.toHexString()) } }));
    } finally {
      // The crash-repair marker may move past this batch only once its summaries are written.
      void summarized.finally(() => inFlightSince.delete(startedAt));
    }
  }

  /** The summaries of stored messages, behind the acks; a failure is repaired, never lost (ADR 0019). */
  async function summarize(created: StoredMessage[], startedAt: Date): Promise<void> {
    try {
      await summaryWrites.submit(created);
    } catch (error) {
      for (const doc of created) markUnsummarized(doc.conversationKey, startedAt);
      log(`message store: summary write failed, rebuilt later: ${(error as Error).message}`);
    }
  }

  /**
   * Resolves once every summary write submitted before this call is done (an empty entry rides
   * in the queue behind them): what this node's reads and summary patches wait for.
   */
  function summariesWritten(): Promise<void> {
    return summaryWrites.submitNow([]).catch(() => undefined);
  }

  async function insert(input: NewMessage): Promise<InsertOutcome> {
    const { doc, result, started } = await sends.submit(input);
    const settled = await outcomeOf(doc, result, started);
    if (!settled.ok) throw settled.error;
    return settled.value;
  }

  async function outcomeOf(doc: StoredMessage, result: InsertResult, startedConversation: boolean): Promise<Settled<InsertOutcome>> {
    if (result.ok) {
      return { ok: true, value: { kind: 'created', message: toMessage(doc), startedConversation } };
    }
    if (!isDuplicate(result)) return { ok: false, error: result.error };
    try {
      const stored = (await c.messages.findOne({ sender: doc.sender, clientMessageId: doc.clientMessageId })) as StoredMessage | null;
      if (!stored) return { ok: false, error: result.error };
      return { ok: true, value: { kind: 'duplicate', message: toMessage(stored) } };
    } catch (error) {
      return { ok: false, error };
    }
  }

  // One insert batch in flight (so summaries see batches in order) beside one summary write.
  const sends = new GroupCommit<NewMessage, Staged>({
    windowMs: options.windowMs ?? 2,
    maxBatch: options.maxBatch ?? 100,
    maxInFlight: 1,
    commit: commitInserts,
  });
  /**
   * The summary writes of insert batches, themselves group-committed: while one is in flight the
   * next batches' summaries gather and merge per conversation, so the number of summary updates
   * follows the number of busy conversations, not the message rate (ADR 0020).
   */
  const summaryWrites = new GroupCommit<StoredMessage[], void>({
    windowMs: options.windowMs ?? 2,
    // Nobody waits on these (reads on this node flush them first): gathering merges a busy
    // conversation's messages into one update and keeps FerretDB's single writer for the inserts.
    lingerMs: SUMMARY_LINGER_MS,
    maxBatch: 1000,
    maxInFlight: 1,
    async commit(batches) {
      const docs = batches.flat();
      if (docs.length > 0) await summaries.writeInserted(docs);
      return batches.map(() => ({ ok: true as const, value: undefined }));
    },
  });

  /** Every message stored before this time has its summary. */
  function summarizedUpTo(): Date {
    const times = [...inFlightSince, ...unsummarized.values()].map((date) => date.getTime());
    return new Date(times.length > 0 ? Math.min(...times) : Date.now());
  }

  async function beat(): Promise<void> {
    await rebuildUnsummarized();
    await marker.beat(summarizedUpTo());
    await repairDeadNodes(c, summaries, log);
  }
  const heartbeat = setInterval(() => void beat().catch(() => undefined), NODE_BEAT_MS);
  heartbeat.unref();

  /**
   * Whether the summary (a read by `_id`) says `readerId` has nothing unread, and can be trusted
   * to: then mark_as_read answers 0 without a scan of the messages, which FerretDB cannot serve
   * from an index. Summaries are written behind the acks, so the count may lack a message
   * already stored and announced: this node's pending writes are waited for; another node's
   * cannot be, so the count is trusted only when no other node has a crash-repair marker (a node
   * keeps one from before its first insert until a clean close, after its last summary write).
   * With several nodes the messages are always read. Beyond that the count is low only after a
   * failed write or a crash, until the rebuild or repair recounts it (ADR 0019); the reader's
   * next mark_as_read, or its list's unread count, then catches up. afterRead never zeroes a
   * count a late message still needs.
   */
  async function nothingUnread(key: string, readerId: string): Promise<boolean> {
    await summariesWritten();
    if (await marker.othersExist()) return false;
    return !(await summaries.mayHaveUnread(key, readerId));
  }

  /** Receipt updates by `_id`, `RECEIPT_WRITE_CHUNK` to a command, one command at a time; how many changed. */
  async function writeByIds(ops: AnyBulkWriteOperation[]): Promise<number> {
    let modified = 0;
    for (let start = 0; start < ops.length; start += RECEIPT_WRITE_CHUNK) {
      modified += (await c.messages.bulkWrite(ops.slice(start, start + RECEIPT_WRITE_CHUNK) as never, { ordered: false })).modifiedCount;
    }
    return modified;
  }

  const byId = async (id: string) => (await c.messages.findOne({ _id: oid(id) })) as StoredMessage | null;
  const found = (doc: unknown) => (doc ? toMessage(doc as StoredMessage) : null);

  return {
    insert,

    async findById(id) {
      return found(await byId(id));
    },

    async pageBefore(a, b, before, limit) {
      const key = conversationKeyOf(a, b);
      const filter = before
        ? {
            conversationKey: key,
            $or: [{ createdAt: { $lt: new Date(before.createdAt) } }, { createdAt: new Date(before.createdAt), _id: { $lt: oid(before.id) } }],
          }
        : { conversationKey: key };
      const docs = await c.messages.find(filter).sort({ createdAt: -1, _id: -1 }).limit(limit).toArray();
      return docs.map((doc) => toMessage(doc as unknown as StoredMessage));
    },

    async searchInConversation(a, b, text, beforeId, limit) {
      const content = new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
      const filter = { conversationKey: conversationKeyOf(a, b), content, ...(beforeId ? { _id: { $lt: oid(beforeId) } } : {}) };
      const docs = await c.messages.find(filter).sort({ createdAt: -1, _id: -1 }).limit(limit).toArray();
      return docs.map((doc) => toMessage(doc as unknown as StoredMessage));
    },

    async conversations(userId, before, limit) {
      await summariesWritten();
      return summaries.page(userId, before, limit);
    },

    partnersOf: (userId, limit) => summaries.partnersOf(userId, limit, summariesWritten),

    async markRead(readerId, senderId, at) {
      const key = conversationKeyOf(readerId, senderId);
      if (await nothingUnread(key, readerId)) return 0;
      const unread = (await c.messages
        .find({ conversationKey: key, receiver: oid(readerId), isRead: false, createdAt: { $lte: at } }, { projection: { deliveredAt: 1 } })
        .toArray()) as unknown as Pick<StoredMessage, '_id' | 'deliveredAt'>[];
      const changedAt = now();
      const read = { isRead: true, readAt: at, updatedAt: changedAt };
      const readOf = (doc: (typeof unread)[number]) => ({ updateOne: { filter: { _id: doc._id, isRead: false }, update: { $set: read } } });
      // Read implies delivered: a message seen on screen reached a device. One write each.
      let modified = await writeByIds(
        unread.map((doc) =>
          doc.deliveredAt ? readOf(doc) : { updateOne: { filter: { _id: doc._id, isRead: false, deliveredAt: null }, update: { $set: { ...read, deliveredAt: at } } } },
        ),
      );
      // Delivered elsewhere (another node) since the find: read them, keeping that delivery time.
      if (modified < unread.length) modified += await writeByIds(unread.filter((doc) => !doc.deliveredAt).map(readOf));
      await summariesWritten();
      await summaries.afterRead(key, readerId, { at, changedAt }, modified);
      return modified;
    },

    async markDelivered(receiverId, ids, at) {
      const unique = [...new Set(ids)].map(oid);
      const docs = (await c.messages
        .find({ _id: { $in: unique }, receiver: oid(receiverId), deliveredAt: null }, { projection: { sender: 1, conversationKey: 1, createdAt: 1 } })
        .toArray()) as unknown as Pick<StoredMessage, '_id' | 'sender' | 'conversationKey' | 'createdAt'>[];
      if (docs.length === 0) return [];
      const changedAt = now();
      await writeByIds(docs.map((doc) => ({ updateOne: { filter: { _id: doc._id, deliveredAt: null }, update: { $set: { deliveredAt: at, updatedAt: changedAt } } } })));
      const newestByKey = new Map<string, (typeof docs)[number]>();
      for (const doc of docs) {
        const seen = newestByKey.get(doc.conversationKey);
        if (!seen || isNewer(doc, seen)) newestByKey.set(doc.conversationKey, doc);
      }
      // Only the newest claimed message of a conversation can be its last message.
      await summariesWritten();
      await Promise.all(
        [...newestByKey].map(([key, doc]) => summaries.patchLastMessage(key, doc._id, { deliveredAt: at, updatedAt: changedAt }, { 'lastMessage.deliveredAt': null })),
      );
      return docs.map((doc) => ({ id: doc._id.toHexString(), sender: doc.sender.toHexString() }));
    },

    async changesSince(userId, since, after, limit) {
      const position = after
        ? { $or: [{ updatedAt: { $gt: since } }, { updatedAt: since, _id: { $gt: oid(after) } }] }
        : { updatedAt: { $gte: since } };
      const docs = await c.messages
        .find({ participants: oid(userId), ...position })
        .sort({ updatedAt: 1, _id: 1 })
        .limit(limit)
        .toArray();
      return docs.map((doc) => toMessage(doc as unknown as StoredMessage));
    },

    async applyEdit(id, content, at) {
      const doc = (await c.messages.findOneAndUpdate(
        { _id: oid(id), deletedAt: null },
        { $set: { content, editedAt: at, updatedAt: now() } },
        { returnDocument: 'after' },
      )) as StoredMessage | null;
      await summariesWritten();
      if (doc) await summaries.patchLastMessage(doc.conversationKey, doc._id, { content, editedAt: at, updatedAt: doc.updatedAt });
      return found(doc);
    },

    async applyDelete(id, at) {
      const doc = (await c.messages.findOneAndUpdate(
        { _id: oid(id) },
        { $set: { content: '', replyTo: null, deletedAt: at, updatedAt: now() } },
        { returnDocument: 'after' },
      )) as StoredMessage | null;
      await summariesWritten();
      if (doc) await summaries.patchLastMessage(doc.conversationKey, doc._id, { content: '', replyTo: null, deletedAt: at, updatedAt: doc.updatedAt });
      return found(doc);
    },

    async setReplyPreviews(a, b, quotedId, content) {
      const key = conversationKeyOf(a, b);
      const quoted = oid(quotedId);
      const at = now();
      const result = await c.messages.updateMany(
        { conversationKey: key, 'replyTo.id': quoted, 'replyTo.content': { $ne: content } },
        { $set: { 'replyTo.content': content, updatedAt: at } },
      );
      if (result.modifiedCount > 0) {
        await summariesWritten();
        await summaries.inTurn([key], async () => {
          await c.conversations.updateOne(
            { _id: key, 'lastMessage.replyTo.id': quoted } as never,
            { $set: { 'lastMessage.replyTo.content': content, 'lastMessage.updatedAt': at } },
          );
        });
      }
      return result.modifiedCount;
    },

    async setReplyPreview(replyId, content) {
      const at = now();
      const doc = (await c.messages.findOneAndUpdate(
        { _id: oid(replyId), replyTo: { $ne: null } },
        { $set: { 'replyTo.content': content, updatedAt: at } },
        { returnDocument: 'after' },
      )) as StoredMessage | null;
      await summariesWritten();
      if (doc) await summaries.patchLastMessage(doc.conversationKey, doc._id, { 'replyTo.content': content, updatedAt: at });
      return found(doc);
    },

    async drain() {
      await sends.drain();
      await summaryWrites.drain();
    },

    /** Drains, then a clean close: the marker goes, unless a summary still waits for its rebuild. */
    async close() {
      clearInterval(heartbeat);
      await sends.drain();
      await summaryWrites.drain();
      // Left in place when a rebuild fails: the next start repairs those conversations.
      await rebuildUnsummarized()
        .then(() => marker.remove())
        .catch(() => undefined);
    },
  };
}
