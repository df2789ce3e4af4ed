import { Types } from 'mongoose';
import type { Message } from '@parley/protocol';
import { AppError } from '../../../lib/AppError.js';
import {
  conversationKeyOf,
  type ConversationKey,
  type ConversationSummary,
  type ConversationsPage,
  type InsertOutcome,
  type MessageStore,
  type NewMessage,
} from './messageStore.js';

/**
 * The message store in memory, for fast unit tests (contract: messageStore.ts, proven by
 * test/messageStoreContract.ts against both implementations). Every method runs to completion
 * within the call, so each one is atomic and `drain()` has nothing to wait for.
 *
 * Messages are kept once, by id, and indexed by conversation: every operation costs at most the
 * conversations it touches, so tests with thousands of messages between other people stay fast.
 * Callers only ever get copies: mutating a returned message never changes the store.
 */

interface Conversation {
  key: ConversationKey;
  participants: [string, string];
  /** Oldest first by (createdAt, id), the history order; the last one is the summary's lastMessage. */
  messages: Message[];
  /** Per participant: messages addressed to them with `isRead: false`. */
  unread: Map<string, number>;
}

export interface MemoryMessageStoreOptions {
  now?: () => Date;
  /** 24 hex digits, increasing over time like an ObjectId (search pages by id). */
  newId?: () => string;
}

const copy = (message: Message): Message => ({ ...message, replyTo: message.replyTo ? { ...message.replyTo } : null });

/** History order: (createdAt, id) ascending. ISO strings of one width and hex ids sort as text. */
function byCreated(x: Message, y: Message): number {
  if (x.createdAt !== y.createdAt) return x.createdAt < y.createdAt ? -1 : 1;
  return x.id < y.id ? -1 : x.id > y.id ? 1 : 0;
}

/** Catch-up order: (updatedAt, id) ascending. */
function byUpdated(x: Message, y: Message): number {
  if (x.updatedAt !== y.updatedAt) return x.updatedAt < y.updatedAt ? -1 : 1;
  return x.id < y.id ? -1 : x.id > y.id ? 1 : 0;
}

/** A conversation-list position: (last activity, key), listed newest first. */
interface ListPosition {
  at: string;
  key: ConversationKey;
}

const lastActivity = (conversation: Conversation): ListPosition => ({
  at: conversation.messages.at(-1)!.createdAt,
  key: conversation.key,
});

/** Newest activity first; the key breaks ties so the order (and the cursor) is total. */
function newestFirst(x: ListPosition, y: ListPosition): number {
  if (x.at !== y.at) return x.at < y.at ? 1 : -1;
  return x.key < y.key ? 1 : x.key > y.key ? -1 : 0;
}

const encodeCursor = (position: ListPosition) => Buffer.from(JSON.stringify([position.at, position.key])).toString('base64url');

function decodeCursor(cursor: string): ListPosition {
  try {
    const [at, key] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof at === 'string' && typeof key === 'string') return { at, key };
  } catch {
    // Falls through to the same answer as a well-formed cursor of the wrong shape.
  }
  throw new AppError('VALIDATION_ERROR', '`before` is not a conversations cursor');
}

export function createMemoryMessageStore(options: MemoryMessageStoreOptions = {}): MessageStore {
  const now = options.now ?? (() => new Date());
  const newId = options.newId ?? (() => new Types.ObjectId().toHexString());

  const byId = new Map<string, Message>();
  /** `${sender}\n${clientMessageId}` -> message id: the idempotency key. */
  const byClientId = new Map<string, string>();
  const conversationsByKey = new Map<ConversationKey, Conversation>();
  const conversationKeysOf = new Map<string, Set<ConversationKey>>();

  const conversationOf = (a: string, b: string) => conversationsByKey.get(conversationKeyOf(a, b));

  function conversationsOfUser(userId: string): Conversation[] {
    return [...(conversationKeysOf.get(userId) ?? [])].map((key) => conversationsByKey.get(key)!);
  }

  /** Moves a message's catch-up position: whatever changed reaches the other devices. */
  function touch(message: Message): void {
    message.updatedAt = now().toISOString();
  }

  function startConversation(a: string, b: string): Conversation {
    const key = conversationKeyOf(a, b);
    const participants: [string, string] = a < b ? [a, b] : [b, a];
    const conversation: Conversation = { key, participants, messages: [], unread: new Map() };
    conversationsByKey.set(key, conversation);
    for (const user of participants) {
      const keys = conversationKeysOf.get(user) ?? new Set();
      keys.add(key);
      conversationKeysOf.set(user, keys);
    }
    return conversation;
  }

  /** Keeps history order; new messages are almost always the newest, so this walks back little. */
  function addInOrder(list: Message[], message: Message): void {
    let index = list.length;
    while (index > 0 && byCreated(list[index - 1]!, message) > 0) index -= 1;
    list.splice(index, 0, message);
  }

  function summaryFor(userId: string, conversation: Conversation): ConversationSummary {
    const [first, second] = conversation.participants;
    return {
      partnerId: first === userId ? second : first,
      lastMessage: copy(conversation.messages.at(-1)!),
      unreadCount: conversation.unread.get(userId) ?? 0,
    };
  }

  /** The user's conversations in list order, starting after `before`. */
  function listFrom(userId: string, before: string | null): Conversation[] {
    const cursor = before === null ? null : decodeCursor(before);
    return conversationsOfUser(userId)
      .sort((x, y) => newestFirst(lastActivity(x), lastActivity(y)))
      .filter((conversation) => cursor === null || newestFirst(cursor, lastActivity(conversation)) < 0);
  }

  return {
    async insert(input: NewMessage): Promise<InsertOutcome> {
      const idempotencyKey = `${input.sender}\n${input.clientMessageId}`;
      const storedId = byClientId.get(idempotencyKey);
      if (storedId !== undefined) return { kind: 'duplicate', message: copy(byId.get(storedId)!) };

      const at = now().toISOString();
      const message: Message = {
        id: newId(),
        clientMessageId: input.clientMessageId,
        sender: input.sender,
        receiver: input.receiver,
        content: input.content,
        createdAt: at,
        updatedAt: at,
        isRead: false,
        readAt: null,
        deliveredAt: null,
        replyTo: input.replyTo ? { ...input.replyTo } : null,
        editedAt: null,
        deletedAt: null,
      };
      const existing = conversationOf(input.sender, input.receiver);
      const conversation = existing ?? startConversation(input.sender, input.receiver);
      byId.set(message.id, message);
      byClientId.set(idempotencyKey, message.id);
      addInOrder(conversation.messages, message);
      conversation.unread.set(input.receiver, (conversation.unread.get(input.receiver) ?? 0) + 1);
      return { kind: 'created', message: copy(message), startedConversation: existing === undefined };
    },

    async findById(id: string): Promise<Message | null> {
      const message = byId.get(id);
      return message ? copy(message) : null;
    },

    async pageBefore(a: string, b: string, before: Message | null, limit: number): Promise<Message[]> {
      const history = conversationOf(a, b)?.messages ?? [];
      const page: Message[] = [];
      for (let index = history.length - 1; index >= 0 && page.length < limit; index -= 1) {
        const message = history[index]!;
        if (before === null || byCreated(message, before) < 0) page.push(copy(message));
      }
      return page;
    },

    async searchInConversation(a: string, b: string, text: string, beforeId: string | null, limit: number): Promise<Message[]> {
      const needle = text.toLowerCase();
      return (conversationOf(a, b)?.messages ?? [])
        .filter((message) => (beforeId === null || message.id < beforeId) && message.content.toLowerCase().includes(needle))
        .sort((x, y) => (x.id < y.id ? 1 : -1))
        .slice(0, limit)
        .map(copy);
    },

    async conversations(userId: string, before: string | null, limit: number): Promise<ConversationsPage> {
      const rest = listFrom(userId, before);
      const page = rest.slice(0, limit);
      const last = page.at(-1);
      return {
        summaries: page.map((conversation) => summaryFor(userId, conversation)),
        nextCursor: rest.length > limit && last ? encodeCursor(lastActivity(last)) : null,
      };
    },

    async partnersOf(userId: string, limit: number): Promise<string[]> {
      return listFrom(userId, null)
        .slice(0, limit)
        .map((conversation) => summaryFor(userId, conversation).partnerId);
    },

    async markRead(readerId: string, senderId: string, at: Date): Promise<number> {
      const conversation = conversationOf(readerId, senderId);
      if (!conversation) return 0;
      const upTo = at.toISOString();
      let count = 0;
      for (const message of conversation.messages) {
        if (message.sender !== senderId || message.receiver !== readerId || message.createdAt > upTo) continue;
        // Read implies delivered: a message seen on screen reached a device.
        const deliver = message.deliveredAt === null;
        const read = !message.isRead;
        if (deliver) message.deliveredAt = upTo;
        if (read) {
          message.isRead = true;
          message.readAt = upTo;
          count += 1;
        }
        if (deliver || read) touch(message);
      }
      conversation.unread.set(readerId, (conversation.unread.get(readerId) ?? 0) - count);
      return count;
    },

    async markDelivered(receiverId: string, ids: string[], at: Date): Promise<{ id: string; sender: string }[]> {
      const claimed: { id: string; sender: string }[] = [];
      for (const id of new Set(ids)) {
        const message = byId.get(id);
        if (!message || message.receiver !== receiverId || message.deliveredAt !== null) continue;
        message.deliveredAt = at.toISOString();
        touch(message);
        claimed.push({ id, sender: message.sender });
      }
      return claimed;
    },

    async changesSince(userId: string, since: Date, after: string | undefined, limit: number): Promise<Message[]> {
      const from = since.toISOString();
      // Without `after` the position includes `since` itself; with it, strictly after (since, after).
      const isAfter = (message: Message) =>
        message.updatedAt > from || (message.updatedAt === from && (after === undefined || message.id > after));
      return conversationsOfUser(userId)
        .flatMap((conversation) => conversation.messages.filter(isAfter))
        .sort(byUpdated)
        .slice(0, limit)
        .map(copy);
    },

    async applyEdit(id: string, content: string, at: Date): Promise<Message | null> {
      const message = byId.get(id);
      if (!message || message.deletedAt !== null) return null;
      message.content = content;
      message.editedAt = at.toISOString();
      touch(message);
      return copy(message);
    },

    async applyDelete(id: string, at: Date): Promise<Message | null> {
      const message = byId.get(id);
      if (!message) return null;
      message.content = '';
      message.replyTo = null;
      message.deletedAt = at.toISOString();
      touch(message);
      return copy(message);
    },

    async setReplyPreviews(a: string, b: string, quotedId: string, content: string): Promise<number> {
      let count = 0;
      for (const message of conversationOf(a, b)?.messages ?? []) {
        if (message.replyTo?.id !== quotedId || message.replyTo.content === content) continue;
        message.replyTo.content = content;
        touch(message);
        count += 1;
      }
      return count;
    },

    async setReplyPreview(replyId: string, content: string): Promise<Message | null> {
      const message = byId.get(replyId);
      if (!message?.replyTo) return null;
      message.replyTo.content = content;
      touch(message);
      return copy(message);
    },

    async drain(): Promise<void> {},
  };
}
