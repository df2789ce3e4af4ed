import type { Message, ReplyPreview } from '@parley/protocol';

/**
 * The message store (issue 10, ADR 0019): everything the messages feature keeps, behind one
 * contract with two implementations — MongoDB/mongoose (`mongoMessageStore.ts`, production and
 * integration tests; works on MongoDB >= 6 and FerretDB 1.24) and memory (`memoryMessageStore.ts`,
 * fast unit tests). Driver names (duplicate-key code 11000, MongoServerError...) never leave the
 * Mongo implementation: callers see the plain results below or an `AppError`.
 *
 * Every read is one indexed query whose size is bounded by its page: equality on a single field
 * (`conversationKey` or `participants`) plus a range, never an `$or` of two branches.
 */

/** One conversation's key: the two participant ids, sorted, joined by ':' (groups can follow). */
export type ConversationKey = string;

export function conversationKeyOf(a: string, b: string): ConversationKey {
  return a < b ? `${a}:${b}` : `${b}:${a}`;
}

export interface NewMessage {
  sender: string;
  receiver: string;
  content: string;
  clientMessageId: string;
  replyTo?: ReplyPreview | null;
}

/** What storing one message came to. */
export type InsertOutcome =
  /** Stored now (first time for this (sender, clientMessageId)). `startedConversation`: the first message of its pair. */
  | { kind: 'created'; message: Message; startedConversation: boolean }
  /** A retry: (sender, clientMessageId) was stored before; this is the stored copy. */
  | { kind: 'duplicate'; message: Message };

/** One row of the conversation list as the store keeps it (the user is joined by the service). */
export interface ConversationSummary {
  partnerId: string;
  lastMessage: Message;
  unreadCount: number;
}

export interface ConversationsPage {
  summaries: ConversationSummary[];
  /** Opaque; feeds `before` for the next (older) page. Null on the last page. */
  nextCursor: string | null;
}

export interface MessageStore {
  /**
   * Stores a message and updates its conversation's summary (last message, receiver's unread
   * count) before resolving: persist, then the caller emits, then acks. Sends arriving together
   * are written as one batch (group commit); the outcome is per message. Idempotent per
   * (sender, clientMessageId).
   */
  insert(input: NewMessage): Promise<InsertOutcome>;

  findById(id: string): Promise<Message | null>;

  /** Up to `limit` messages of the conversation (a, b) strictly older than `before`, newest first. */
  pageBefore(a: string, b: string, before: Message | null, limit: number): Promise<Message[]>;

  /** Messages of (a, b) whose content contains `text` (any case), older than `beforeId`, newest first. */
  searchInConversation(a: string, b: string, text: string, beforeId: string | null, limit: number): Promise<Message[]>;

  /** The conversation list of `userId`, newest activity first, one page. `before` is a `nextCursor`. */
  conversations(userId: string, before: string | null, limit: number): Promise<ConversationsPage>;

  /** Up to `limit` conversation partners of `userId`, each once, in no promised order. */
  partnersOf(userId: string, limit: number): Promise<string[]>;

  /**
   * Marks every unread message from `senderId` to `readerId` created up to `at` read (and
   * delivered), in one bulk write; updates the summary's unread count and read position.
   * Returns how many messages changed.
   */
  markRead(readerId: string, senderId: string, at: Date): Promise<number>;

  /**
   * Sets deliveredAt on those of `ids` addressed to `receiverId` that had none, in one bulk write;
   * says which this call claimed (callers serialize per receiver).
   */
  markDelivered(receiverId: string, ids: string[], at: Date): Promise<{ id: string; sender: string }[]>;

  /** Changes to or from `userId` after the position (since, after), oldest change first. */
  changesSince(userId: string, since: Date, after: string | undefined, limit: number): Promise<Message[]>;

  // Edits and deletes (callers serialize per message sender).
  applyEdit(id: string, content: string, at: Date): Promise<Message | null>;
  applyDelete(id: string, at: Date): Promise<Message | null>;
  setReplyPreviews(a: string, b: string, quotedId: string, content: string): Promise<number>;
  setReplyPreview(replyId: string, content: string): Promise<Message | null>;

  /** Resolves when every write accepted so far has finished (graceful shutdown). */
  drain(): Promise<void>;
}
