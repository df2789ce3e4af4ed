import { Types, type Connection } from 'mongoose';
import type { Message, ReplyPreview } from '@parley/protocol';
import { messageModel } from './message.model.js';

interface StoredMessage {
  _id: Types.ObjectId;
  sender: Types.ObjectId;
  receiver: Types.ObjectId;
  clientMessageId: string;
  content: string;
  createdAt: Date;
  updatedAt: Date;
  isRead?: boolean;
  readAt?: Date | null;
  deliveredAt?: Date | null;
  replyTo?: { id: Types.ObjectId; sender: Types.ObjectId; content?: string } | null;
  editedAt?: Date | null;
  deletedAt?: Date | null;
}

/** Messages leave the repository already in their wire shape: plain, no _id, no __v. */
function toMessage(doc: StoredMessage): Message {
  return {
    id: doc._id.toHexString(),
    clientMessageId: doc.clientMessageId,
    sender: doc.sender.toHexString(),
    receiver: doc.receiver.toHexString(),
    content: doc.content,
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
    isRead: doc.isRead ?? false,
    readAt: doc.readAt ? doc.readAt.toISOString() : null,
    deliveredAt: doc.deliveredAt ? doc.deliveredAt.toISOString() : null,
    replyTo: doc.replyTo
      ? { id: doc.replyTo.id.toHexString(), sender: doc.replyTo.sender.toHexString(), content: doc.replyTo.content ?? '' }
      : null,
    editedAt: doc.editedAt ? doc.editedAt.toISOString() : null,
    deletedAt: doc.deletedAt ? doc.deletedAt.toISOString() : null,
  };
}

const oid = (id: string) => new Types.ObjectId(id);

function between(a: string, b: string) {
  return {
    $or: [
      { sender: oid(a), receiver: oid(b) },
      { sender: oid(b), receiver: oid(a) },
    ],
  };
}

export interface ConversationSummary {
  partnerId: string;
  lastMessage: Message;
  unreadCount: number;
}

export function createMessagesRepository(connection: Connection) {
  const Messages = messageModel(connection);

  /**
   * The distinct users `userId` has exchanged at least one message with, at most `limit` of them
   * (in no particular order). The simplest query on messages alone; a conversation summary per
   * pair can answer it from an index instead without its callers changing.
   */
  async function partnersOf(userId: string, limit: number): Promise<string[]> {
    const me = oid(userId);
    // One pass, deduplicated by the database: each (sender, receiver) pair once.
    const pairs = await Messages.aggregate<{ _id: { sender: Types.ObjectId; receiver: Types.ObjectId } }>([
      { $match: { $or: [{ sender: me }, { receiver: me }] } },
      { $group: { _id: { sender: '$sender', receiver: '$receiver' } } },
    ]);
    const partners = new Set(
      pairs.map(({ _id }) => (_id.sender.equals(me) ? _id.receiver : _id.sender).toHexString()),
    );
    return [...partners].slice(0, limit);
  }

  return {
    async insert(input: { sender: string; receiver: string; content: string; clientMessageId: string; replyTo?: ReplyPreview | null }) {
      const replyTo = input.replyTo ? { ...input.replyTo, id: oid(input.replyTo.id), sender: oid(input.replyTo.sender) } : null;
      const doc = await Messages.create({ ...input, sender: oid(input.sender), receiver: oid(input.receiver), replyTo });
      return toMessage(doc.toObject() as StoredMessage);
    },

    async findBySenderAndClientId(sender: string, clientMessageId: string): Promise<Message | null> {
      const doc = await Messages.findOne({ sender: oid(sender), clientMessageId }).lean<StoredMessage>();
      return doc ? toMessage(doc) : null;
    },

    async findById(id: string): Promise<Message | null> {
      const doc = await Messages.findById(id).lean<StoredMessage>();
      return doc ? toMessage(doc) : null;
    },

    /** Up to `limit` messages of a conversation strictly older than `before`, newest first. */
    async pageBefore(a: string, b: string, before: Message | null, limit: number): Promise<Message[]> {
      const filter: Record<string, unknown>[] = [between(a, b)];
      if (before) {
        const at = new Date(before.createdAt);
        filter.push({ $or: [{ createdAt: { $lt: at } }, { createdAt: at, _id: { $lt: oid(before.id) } }] });
      }
      const docs = await Messages.find({ $and: filter })
        .sort({ createdAt: -1, _id: -1 })
        .limit(limit)
        .lean<StoredMessage[]>();
      return docs.map(toMessage);
    },

    /**
     * Messages of the conversation a-b whose content contains `text` (any case), older than the
     * message `beforeId`, newest first. Self-contained on purpose (no shared helpers beyond the
     * conversation filter): easy to move with the store. Not index-served for the text itself
     * (no text indexes on FerretDB): it reads one conversation, never anyone else's messages.
     */
    async searchInConversation(a: string, b: string, text: string, beforeId: string | null, limit: number): Promise<Message[]> {
      const filter: Record<string, unknown>[] = [between(a, b), { content: new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i') }];
      if (beforeId) filter.push({ _id: { $lt: oid(beforeId) } });
      const docs = await Messages.find({ $and: filter }).sort({ _id: -1 }).limit(limit).lean<StoredMessage[]>();
      return docs.map(toMessage);
    },

    partnersOf,

    /** The newest message with each partner and the unread count from each, newest first. */
    async conversations(userId: string): Promise<ConversationSummary[]> {
      const me = oid(userId);
      // FerretDB and MongoDB alike: $group with $sum only, no $first/$cond.
      const [partnerIds, unread] = await Promise.all([
        partnersOf(userId, Number.MAX_SAFE_INTEGER),
        Messages.aggregate<{ _id: Types.ObjectId; count: number }>([
          { $match: { receiver: me, isRead: false } },
          { $group: { _id: '$sender', count: { $sum: 1 } } },
        ]),
      ]);
      const unreadBySender = new Map(unread.map((row) => [row._id.toHexString(), row.count]));
      const summaries = await Promise.all(
        [...partnerIds].map(async (partnerId) => {
          const [last] = await Messages.find(between(userId, partnerId))
            .sort({ createdAt: -1, _id: -1 })
            .limit(1)
            .lean<StoredMessage[]>();
          return last ? { partnerId, lastMessage: toMessage(last), unreadCount: unreadBySender.get(partnerId) ?? 0 } : null;
        }),
      );
      return summaries
        .filter((summary): summary is ConversationSummary => summary !== null)
        .sort((x, y) => y.lastMessage.createdAt.localeCompare(x.lastMessage.createdAt) || y.lastMessage.id.localeCompare(x.lastMessage.id));
    },

    /**
     * Marks every unread message from `senderId` to `readerId` created up to `at` read; returns
     * how many changed. The bound matters: a message stored while this runs was not on screen,
     * and clients apply `messages_read` only to messages created at or before its readAt.
     */
    async markRead(readerId: string, senderId: string, at: Date): Promise<number> {
      const fromSender = { sender: oid(senderId), receiver: oid(readerId), createdAt: { $lte: at } };
      // Read implies delivered: a message seen on screen reached a device.
      await Messages.updateMany({ ...fromSender, deliveredAt: null }, { $set: { deliveredAt: at } });
      const result = await Messages.updateMany({ ...fromSender, isRead: false }, { $set: { isRead: true, readAt: at } });
      return result.modifiedCount;
    },

    /**
     * Sets deliveredAt on those of `ids` addressed to `receiverId` that had none, and says which
     * this call claimed: one conditional update per id, so each is reported by one call only
     * (callers serialize per receiver, as FerretDB's findAndModify is not atomic).
     */
    async markDelivered(receiverId: string, ids: string[], at: Date): Promise<{ id: string; sender: string }[]> {
      const unique = [...new Set(ids)];
      const claimed = await Promise.all(
        unique.map(async (id) => {
          const doc = await Messages.findOneAndUpdate(
            { _id: oid(id), receiver: oid(receiverId), deliveredAt: null },
            { $set: { deliveredAt: at } },
            // No projection: FerretDB's findAndModify does not implement one.
            { returnDocument: 'after' },
          ).lean<{ _id: Types.ObjectId; sender: Types.ObjectId }>();
          return doc ? { id, sender: doc.sender.toHexString() } : null;
        }),
      );
      return claimed.filter((entry): entry is { id: string; sender: string } => entry !== null);
    },

    /** Changes to or from `userId` after the position (since, after), oldest change first. */
    async changesSince(userId: string, since: Date, after: string | undefined, limit: number): Promise<Message[]> {
      const me = oid(userId);
      const position = after
        ? { $or: [{ updatedAt: { $gt: since } }, { updatedAt: since, _id: { $gt: oid(after) } }] }
        : { updatedAt: { $gte: since } };
      const docs = await Messages.find({ $and: [{ $or: [{ sender: me }, { receiver: me }] }, position] })
        .sort({ updatedAt: 1, _id: 1 })
        .limit(limit)
        .lean<StoredMessage[]>();
      return docs.map(toMessage);
    },

    // ---- edit and delete (issue 15). Callers serialize per message sender: FerretDB's updates
    // are not atomic against concurrent ones, and an edit racing a delete must not resurrect text.

    /** Sets new content and `editedAt` on a message that is not deleted; null if there is none. */
    async applyEdit(id: string, content: string, at: Date): Promise<Message | null> {
      const doc = await Messages.findOneAndUpdate(
        { _id: oid(id), deletedAt: null },
        { $set: { content, editedAt: at } },
        { returnDocument: 'after' },
      ).lean<StoredMessage>();
      return doc ? toMessage(doc) : null;
    },

    /** Wipes a message's content (and its own quote) in storage and stamps `deletedAt`. */
    async applyDelete(id: string, at: Date): Promise<Message | null> {
      const doc = await Messages.findOneAndUpdate(
        { _id: oid(id) },
        { $set: { content: '', replyTo: null, deletedAt: at } },
        { returnDocument: 'after' },
      ).lean<StoredMessage>();
      return doc ? toMessage(doc) : null;
    },

    /**
     * Rewrites the preview in every reply of the conversation (a, b) that quotes `quotedId`, and
     * moves their `updatedAt` so catch-up carries the change. Filtered by conversation first (an
     * indexed equality) rather than by a new index on `replyTo.id` that every insert would pay for.
     */
    async setReplyPreviews(a: string, b: string, quotedId: string, content: string): Promise<number> {
      const result = await Messages.updateMany(
        { $and: [between(a, b), { 'replyTo.id': oid(quotedId), 'replyTo.content': { $ne: content } }] },
        { $set: { 'replyTo.content': content } },
      );
      return result.modifiedCount;
    },

    /** Sets one reply's preview (a reply stored while its quoted message changed). */
    async setReplyPreview(replyId: string, content: string): Promise<Message | null> {
      const doc = await Messages.findOneAndUpdate(
        { _id: oid(replyId), replyTo: { $ne: null } },
        { $set: { 'replyTo.content': content } },
        { returnDocument: 'after' },
      ).lean<StoredMessage>();
      return doc ? toMessage(doc) : null;
    },
  };
}

export type MessagesRepository = ReturnType<typeof createMessagesRepository>;
