import type { AnyBulkWriteOperation } from 'mongoose';
import { AppError } from '../../../lib/AppError.js';
import { KeyedSerialQueue } from '../../../lib/keyedSerialQueue.js';
import type { ConversationsPage, ConversationSummary } from './messageStore.js';
import { isNewer, oid, toMessage, type StoreCollections, type StoredMessage, type StoredSummary } from './storedMessage.js';

/** FerretDB stalls on a bulk write of hundreds of updates: at most this many per bulkWrite. */
export const WRITE_CHUNK = 50;
/**
 * Summary upserts per command on the send path. FerretDB holds its single writer for a whole
 * command, so a command of 50 updates (~3 ms each) keeps every send's insert waiting ~150 ms;
 * small commands let the inserts in between (quick bench, 25 pairs at 200 msg/s).
 */
const SUMMARY_WRITE_CHUNK = 5;
/** In-process memory of conversations known to exist; cleared (and re-learnt) beyond this. */
const KNOWN_MAX = 100_000;

type Op = AnyBulkWriteOperation;

export async function bulkInChunks(collection: StoreCollections['conversations'], ops: Op[], chunk = WRITE_CHUNK): Promise<void> {
  for (let start = 0; start < ops.length; start += chunk) {
    await collection.bulkWrite(ops.slice(start, start + chunk) as never, { ordered: false });
  }
}

const partnersKey = (userHex: string) => `u:${userHex}`;

/** The user keys a conversation's partner lists are serialized under. */
export function partnerTurnKeys(conversationKey: string): string[] {
  return conversationKey.split(':').map(partnersKey);
}

function encodeCursor(summary: StoredSummary): string {
  return Buffer.from(JSON.stringify([summary.lastActivityAt.getTime(), summary._id])).toString('base64url');
}

function decodeCursor(cursor: string): { at: Date; key: string } {
  try {
    const [at, key] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof at === 'number' && Number.isFinite(at) && typeof key === 'string') return { at: new Date(at), key };
  } catch {
    // falls through to the validation error
  }
  throw new AppError('VALIDATION_ERROR', '`before` is not a conversations cursor');
}

/**
 * The conversation summaries and partner lists (ADR 0019). Every write to one summary runs in
 * that conversation's turn (FerretDB's updates are not atomic against concurrent ones), and a
 * batch of sends takes one turn over all its conversations, in batch order, so a later batch
 * never writes an older `lastMessage`. Every read and write here is by `_id`, except the
 * conversation list itself (one indexed query per page) and a rebuild from messages.
 */
export class ConversationSummaries {
  private readonly turns = new KeyedSerialQueue();
  private readonly known = new Set<string>();

  constructor(private readonly c: StoreCollections) {}

  /** Runs `task` in the turn of every key (conversation keys and `partnerTurnKeys`), taken now. */
  inTurn<T>(keys: readonly string[], task: () => Promise<T>): Promise<T> {
    return this.turns.runAll(keys, task);
  }

  isKnown(key: string): boolean {
    return this.known.has(key);
  }

  private remember(keys: Iterable<string>): void {
    if (this.known.size > KNOWN_MAX) this.known.clear();
    for (const key of keys) this.known.add(key);
  }

  /**
   * Which of these conversations have no summary yet: read by `_id`, and only for keys not known
   * here (in steady state, none). Called before a batch's insert, so a send knows whether it
   * starts a conversation without waiting for its summary.
   */
  async unsummarized(keys: readonly string[]): Promise<Set<string>> {
    const unknown = [...new Set(keys)].filter((key) => !this.known.has(key));
    const present = await Promise.all(
      unknown.map((key) => this.c.conversations.findOne({ _id: key } as never, { projection: { _id: 1 } })),
    );
    return new Set(unknown.filter((_, index) => !present[index]));
  }

  /**
   * Conversations whose first messages were just stored: their participants join each other's
   * partner lists now, before the sends are acked (presence reads these lists on every connect),
   * and they are known from here on.
   */
  async started(keys: readonly string[]): Promise<void> {
    if (keys.length > 0) await this.inTurn(keys.flatMap(partnerTurnKeys), () => this.addPartners([...keys]));
    this.remember(keys);
  }

  /**
   * Writes the summaries of messages just stored, in their turn: one upsert per conversation with
   * its newest message and the unread counts it adds (FerretDB runs a bulk write's updates one by
   * one, so fewer conversations is what makes it cheap).
   */
  writeInserted(docs: StoredMessage[]): Promise<void> {
    const keys = [...new Set(docs.map((doc) => doc.conversationKey))];
    return this.inTurn(keys, async () => {
      const byKey = new Map<string, { newest: StoredMessage; unread: Map<string, number> }>();
      for (const doc of docs) {
        const entry = byKey.get(doc.conversationKey) ?? { newest: doc, unread: new Map<string, number>() };
        if (isNewer(doc, entry.newest)) entry.newest = doc;
        const receiver = doc.receiver.toHexString();
        entry.unread.set(receiver, (entry.unread.get(receiver) ?? 0) + 1);
        byKey.set(doc.conversationKey, entry);
      }
      const summaryOps: Op[] = [...byKey].map(([key, { newest, unread }]) => ({
        updateOne: {
          filter: { _id: key },
          update: {
            $setOnInsert: { participants: key.split(':').map(oid) },
            $set: { lastMessage: newest, lastActivityAt: newest.createdAt },
            $inc: Object.fromEntries([...unread].map(([user, count]) => [`unread.${user}`, count])),
          },
          upsert: true,
        },
      }));
      // One after the other: concurrent writes are much slower than sequential ones on FerretDB.
      await bulkInChunks(this.c.conversations, summaryOps, SUMMARY_WRITE_CHUNK);
      this.remember(keys);
    });
  }

  /** Each participant of each conversation joins the other's partner list (idempotent). */
  private async addPartners(keys: string[]): Promise<void> {
    const ops: Op[] = keys.flatMap((key) => {
      const [a, b] = key.split(':') as [string, string];
      return [
        { updateOne: { filter: { _id: a }, update: { $addToSet: { ids: b } }, upsert: true } },
        { updateOne: { filter: { _id: b }, update: { $addToSet: { ids: a } }, upsert: true } },
      ];
    });
    await bulkInChunks(this.c.partners, ops);
  }

  /**
   * Whether the summary says `readerHex` may have unread messages in the conversation: one read
   * by `_id`, which lets mark_as_read skip its bulk write (a scan on FerretDB) when there is
   * nothing to mark. No summary counts as nothing unread. When the count may be trusted: see
   * mongoMessageStore.ts `nothingUnread`.
   */
  async mayHaveUnread(key: string, readerHex: string): Promise<boolean> {
    const summary = (await this.c.conversations.findOne({ _id: key } as never, { projection: { [`unread.${readerHex}`]: 1 } })) as Pick<
      StoredSummary,
      'unread'
    > | null;
    return (summary?.unread?.[readerHex] ?? 0) > 0;
  }

  /**
   * After `modified` messages to `reader` were marked read up to `at`: the reader's unread count
   * and read position, and the embedded last message if the read covered it. The count goes down
   * by what the read changed. When the read covers the newest message yet that leaves a count
   * other than 0, the count is recounted from the messages (one indexed count): either it was
   * left high by a crash, or a message created up to `at` was stored after the bulk write looked
   * (group commit stamps createdAt before it inserts) and is still unread. Zeroing it blindly
   * would under-count that one, and mark_as_read trusts a 0 (mayHaveUnread).
   */
  afterRead(key: string, readerHex: string, { at, changedAt }: { at: Date; changedAt: Date }, modified: number): Promise<void> {
    return this.inTurn([key], async () => {
      const summary = (await this.c.conversations.findOne({ _id: key } as never)) as StoredSummary | null;
      if (!summary) return;
      const last = summary.lastMessage;
      const before = Math.max(0, summary.unread?.[readerHex] ?? 0);
      const coversLast = last.createdAt.getTime() <= at.getTime();
      let unread = Math.max(0, before - modified);
      if (coversLast && unread !== 0) {
        unread = await this.c.messages.countDocuments({ conversationKey: key, receiver: oid(readerHex), isRead: false });
      }
      if (modified === 0 && unread === before) return;
      const set: Record<string, unknown> = { [`unread.${readerHex}`]: unread, [`readAt.${readerHex}`]: at };
      if (coversLast && unread === 0 && last.receiver.toHexString() === readerHex && !last.isRead) {
        Object.assign(set, { 'lastMessage.isRead': true, 'lastMessage.readAt': at, 'lastMessage.updatedAt': changedAt });
        if (!last.deliveredAt) set['lastMessage.deliveredAt'] = at;
      }
      await this.c.conversations.updateOne({ _id: key } as never, { $set: set });
    });
  }

  /** Patches the embedded last message where it is `messageId` (one conditional write by `_id`). */
  patchLastMessage(key: string, messageId: StoredMessage['_id'], set: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<void> {
    const prefixed = Object.fromEntries(Object.entries(set).map(([field, value]) => [`lastMessage.${field}`, value]));
    return this.inTurn([key], async () => {
      await this.c.conversations.updateOne({ _id: key, 'lastMessage._id': messageId, ...extra } as never, { $set: prefixed });
    });
  }

  /** The conversation list of `userId`: one indexed query per page, newest activity first. */
  async page(userId: string, before: string | null, limit: number): Promise<ConversationsPage> {
    const me = oid(userId);
    const position = before ? decodeCursor(before) : null;
    const filter = position
      ? { participants: me, $or: [{ lastActivityAt: { $lt: position.at } }, { lastActivityAt: position.at, _id: { $lt: position.key } }] }
      : { participants: me };
    const docs = (await this.c.conversations
      .find(filter as never)
      .sort({ lastActivityAt: -1, _id: -1 })
      .limit(limit + 1)
      .toArray()) as unknown as StoredSummary[];
    const page = docs.slice(0, limit);
    const summaries: ConversationSummary[] = page.map((doc) => ({
      partnerId: doc.participants.map((id) => id.toHexString()).find((id) => id !== userId) ?? userId,
      lastMessage: toMessage(doc.lastMessage),
      // Clamped here: an unread decrement may briefly run ahead of the increment it pairs with.
      unreadCount: Math.max(0, doc.unread?.[userId] ?? 0),
    }));
    const last = page.at(-1);
    return { summaries, nextCursor: docs.length > limit && last ? encodeCursor(last) : null };
  }

  /** Every partner of `userId` from its partner list (one read by `_id`), newest partner first. */
  async partnersOf(userId: string, limit: number, summariesWritten: () => Promise<void>): Promise<string[]> {
    const doc = (await this.c.partners.findOne({ _id: userId } as never)) as { ids?: string[] } | null;
    const ids = [...(doc?.ids ?? [])].reverse();
    if (ids.length <= limit) return ids;
    // More than asked: the most recently active ones, from the conversation list's index.
    await summariesWritten();
    const { summaries } = await this.page(userId, null, limit);
    return summaries.map((summary) => summary.partnerId);
  }

  /**
   * Recomputes one summary from the conversation's messages (crash repair, failed writes):
   * newest message and each participant's unread count; the partner lists too.
   */
  rebuild(key: string): Promise<void> {
    return this.inTurn([key, ...partnerTurnKeys(key)], async () => {
      const [newest] = (await this.c.messages
        .find({ conversationKey: key })
        .sort({ createdAt: -1, _id: -1 })
        .limit(1)
        .toArray()) as unknown as StoredMessage[];
      if (!newest) return;
      const participants = key.split(':');
      const counts = await Promise.all(
        participants.map((user) => this.c.messages.countDocuments({ conversationKey: key, receiver: oid(user), isRead: false })),
      );
      const unread = Object.fromEntries(participants.map((user, index) => [`unread.${user}`, counts[index]]));
      await this.c.conversations.updateOne(
        { _id: key } as never,
        { $set: { participants: participants.map(oid), lastMessage: newest, lastActivityAt: newest.createdAt, ...unread } },
        { upsert: true },
      );
      await this.addPartners([key]);
      this.remember([key]);
    });
  }
}
