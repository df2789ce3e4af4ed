import { randomBytes } from 'node:crypto';
import { MESSAGE_SEARCH_PAGE, type ConversationsResponse, type Message, type MessageSearchResponse, type MessagesPage, type SyncResponse } from '@parley/protocol';
import { AppError } from '../../lib/AppError.js';
import { KeyedSerialQueue } from '../../lib/keyedSerialQueue.js';
import { noopMetrics, type Metrics } from '../../lib/metrics.js';
import { TokenBuckets } from '../../lib/tokenBucket.js';
import type { UsersRepository } from '../users/users.repository.js';
import { toPublicUser } from '../users/users.service.js';
import type { MessageActionsService } from './messageActions.service.js';
import type { MessageStore } from './store/messageStore.js';

interface MessagesDeps {
  messages: MessageStore;
  users: UsersRepository;
  sendRate: { perSecond: number; burst: number };
  /** Replies: the preview a reply stores, and its repair when the quoted message changed meanwhile. */
  replies: Pick<MessageActionsService, 'replyPreview' | 'reconcileReply'>;
  metrics?: Metrics;
  now?: () => Date;
}

export interface SendResult {
  message: Message;
  /** False when a retried clientMessageId found the message already stored. */
  created: boolean;
  /** True for the first message ever between the two people: they are conversation partners now. */
  startedConversation: boolean;
}

function newClientMessageId(): string {
  return `srv_${randomBytes(12).toString('base64url')}`;
}

export function createMessagesService(deps: MessagesDeps) {
  const { messages, users } = deps;
  const now = deps.now ?? (() => new Date());
  const sendBuckets = new TokenBuckets(deps.sendRate.perSecond, deps.sendRate.burst);
  // One sender's messages are stored in the order they were sent.
  const sendQueue = new KeyedSerialQueue();
  // One receiver's receipts are applied one at a time: FerretDB's findAndModify is not atomic
  // against a concurrent one, and two devices often confirm the same message together.
  const receiptQueue = new KeyedSerialQueue();
  const metrics = deps.metrics ?? noopMetrics;
  metrics.watchQueue('message_sends', () => sendQueue.pending);
  metrics.watchQueue('message_receipts', () => receiptQueue.pending);
  // Users are never deleted, so a receiver once found stays found.
  const knownUsers = new Set<string>();

  async function requireUser(userId: string): Promise<void> {
    if (knownUsers.has(userId)) return;
    if (!(await users.exists(userId))) throw new AppError('NOT_FOUND', 'No such user');
    if (knownUsers.size > 100_000) knownUsers.clear();
    knownUsers.add(userId);
  }

  /** The store is idempotent per (sender, clientMessageId): a retry gets the stored copy back. */
  async function storeOnce(
    senderId: string,
    input: { receiverId: string; content: string; clientMessageId: string; replyToId?: string | undefined },
  ): Promise<SendResult> {
    await requireUser(input.receiverId);
    const replyTo = input.replyToId ? await deps.replies.replyPreview(senderId, input.receiverId, input.replyToId) : null;
    const outcome = await messages.insert({
      sender: senderId,
      receiver: input.receiverId,
      content: input.content,
      clientMessageId: input.clientMessageId,
      replyTo,
    });
    if (outcome.kind === 'duplicate') return { message: outcome.message, created: false, startedConversation: false };
    metrics.messageStored();
    const stored = replyTo ? await deps.replies.reconcileReply(outcome.message) : outcome.message;
    return { message: stored, created: true, startedConversation: outcome.startedConversation };
  }

  return {
    /** Stores a message (once per clientMessageId); the caller emits only when `created`. */
    async send(
      senderId: string,
      input: { receiverId: string; content: string; clientMessageId?: string | undefined; replyToId?: string | undefined },
    ): Promise<SendResult> {
      if (input.receiverId === senderId) {
        throw new AppError('VALIDATION_ERROR', 'You cannot send a message to yourself');
      }
      if (!sendBuckets.tryTake(senderId)) {
        throw new AppError('RATE_LIMITED', 'You are sending too fast; slow down a little');
      }
      const clientMessageId = input.clientMessageId ?? newClientMessageId();
      return sendQueue.run(senderId, () => storeOnce(senderId, { ...input, clientMessageId }));
    },

    async history(callerId: string, partnerId: string, before: string | undefined, limit: number): Promise<MessagesPage> {
      let cursor: Message | null = null;
      if (before) {
        cursor = await messages.findById(before);
        const inConversation =
          cursor !== null &&
          ((cursor.sender === callerId && cursor.receiver === partnerId) ||
            (cursor.sender === partnerId && cursor.receiver === callerId));
        if (!inConversation) throw new AppError('VALIDATION_ERROR', '`before` is not a message of this conversation');
      }
      // One more than asked tells whether an older page exists.
      const newestFirst = await messages.pageBefore(callerId, partnerId, cursor, limit + 1);
      const hasOlder = newestFirst.length > limit;
      const page = newestFirst.slice(0, limit).reverse();
      return { messages: page, nextCursor: hasOlder && page[0] ? page[0].id : null };
    },

    /** One page of hits for `text` in the caller's conversation with `partnerId`, newest first. */
    async search(callerId: string, partnerId: string, text: string, before: string | undefined): Promise<MessageSearchResponse> {
      const hits = await messages.searchInConversation(callerId, partnerId, text, before ?? null, MESSAGE_SEARCH_PAGE + 1);
      const page = hits.slice(0, MESSAGE_SEARCH_PAGE);
      return { messages: page, nextCursor: hits.length > MESSAGE_SEARCH_PAGE ? page[page.length - 1]!.id : null };
    },

    /** Distinct conversation partners of a user, at most `limit`. */
    partnersOf(userId: string, limit: number): Promise<string[]> {
      return messages.partnersOf(userId, limit);
    },

    /** One page of the caller's conversations (newest activity first); users joined for the page only. */
    async conversations(callerId: string, before: string | undefined, limit: number): Promise<ConversationsResponse> {
      const { summaries, nextCursor } = await messages.conversations(callerId, before ?? null, limit);
      const partners = await users.findManyByIds(summaries.map((summary) => summary.partnerId));
      const partnerById = new Map(partners.map((partner) => [partner.id, toPublicUser(partner)]));
      const conversations = summaries.flatMap((summary) => {
        const user = partnerById.get(summary.partnerId);
        return user ? [{ user, lastMessage: summary.lastMessage, unreadCount: summary.unreadCount }] : [];
      });
      return { conversations, nextCursor };
    },

    async markRead(readerId: string, senderId: string): Promise<{ count: number; readAt: Date }> {
      if (readerId === senderId) throw new AppError('VALIDATION_ERROR', 'senderId must be your chat partner');
      return receiptQueue.run(readerId, async () => {
        const readAt = now();
        return { count: await messages.markRead(readerId, senderId, readAt), readAt };
      });
    },

    /** Returns, per sender, the ids this call was first to mark delivered. */
    async markDelivered(receiverId: string, messageIds: string[]) {
      const deliveredAt = now();
      const claimed = await receiptQueue.run(receiverId, () => messages.markDelivered(receiverId, messageIds, deliveredAt));
      const idsBySender = new Map<string, string[]>();
      for (const { id, sender } of claimed) idsBySender.set(sender, [...(idsBySender.get(sender) ?? []), id]);
      return { deliveredAt, count: claimed.length, idsBySender };
    },

    async changesSince(callerId: string, since: string, after: string | undefined, limit: number): Promise<SyncResponse> {
      const changes = await messages.changesSince(callerId, new Date(since), after, limit + 1);
      const hasMore = changes.length > limit;
      const page = changes.slice(0, limit);
      const last = page.at(-1);
      return {
        messages: page,
        nextSince: last ? last.updatedAt : since,
        nextAfter: last ? last.id : (after ?? null),
        hasMore,
      };
    },

    /** Resolves when every send accepted so far has been stored (or failed). */
    async drain(): Promise<void> {
      await sendQueue.idle();
      await messages.drain();
    },
  };
}

export type MessagesService = ReturnType<typeof createMessagesService>;
