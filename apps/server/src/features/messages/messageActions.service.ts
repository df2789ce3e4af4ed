import { REPLY_PREVIEW_MAX_LENGTH, type Message, type ReplyPreview } from '@parley/protocol';
import { AppError } from '../../lib/AppError.js';
import { KeyedSerialQueue } from '../../lib/keyedSerialQueue.js';
import { TokenBuckets } from '../../lib/tokenBucket.js';
import type { MessageStore } from './store/messageStore.js';

/** The store methods replies, edits and deletes need. */
export type MessageActionsStore = Pick<
  MessageStore,
  'findById' | 'applyEdit' | 'applyDelete' | 'setReplyPreviews' | 'setReplyPreview'
>;

interface MessageActionsDeps {
  messages: MessageActionsStore;
  /** A sibling of the send bucket: edits and deletes have a per-user budget of their own. */
  rate: { perSecond: number; burst: number };
  now?: () => Date;
}

export interface ActionResult {
  message: Message;
  /** False when nothing changed (same text again, deleted twice): no `message_updated` is due. */
  changed: boolean;
}

const previewOf = (content: string) => content.slice(0, REPLY_PREVIEW_MAX_LENGTH);

const inConversation = (message: Message, a: string, b: string) =>
  (message.sender === a && message.receiver === b) || (message.sender === b && message.receiver === a);

/**
 * Replies, edits and deletes (issue 15, ADR 0015). Every write that touches a message's text — its
 * edit, its delete and the previews that quote it — runs in one serial queue keyed by the message's
 * sender: FerretDB's updates are not atomic against concurrent ones, so an edit racing a delete
 * could otherwise write old text back after the wipe.
 */
export function createMessageActionsService(deps: MessageActionsDeps) {
  const { messages } = deps;
  const now = deps.now ?? (() => new Date());
  const buckets = new TokenBuckets(deps.rate.perSecond, deps.rate.burst);
  const textWrites = new KeyedSerialQueue();

  function spend(userId: string): void {
    if (!buckets.tryTake(userId)) throw new AppError('RATE_LIMITED', 'You are changing messages too fast; slow down a little');
  }

  /** The sender's own message, or the reason they may not change it. */
  async function ownMessage(userId: string, messageId: string): Promise<Message> {
    const message = await messages.findById(messageId);
    if (!message) throw new AppError('NOT_FOUND', 'No such message');
    if (message.sender !== userId) throw new AppError('FORBIDDEN', 'Only the sender can change a message');
    return message;
  }

  return {
    /** The preview a new reply stores: the quoted message must belong to the same conversation. */
    async replyPreview(senderId: string, receiverId: string, replyToId: string): Promise<ReplyPreview> {
      const quoted = await messages.findById(replyToId);
      if (!quoted || !inConversation(quoted, senderId, receiverId)) {
        throw new AppError('VALIDATION_ERROR', '`replyToId` is not a message of this conversation');
      }
      return { id: quoted.id, sender: quoted.sender, content: previewOf(quoted.content) };
    },

    /**
     * Called after a reply is stored: if the quoted message was edited or deleted between the
     * preview being read and the reply being stored, the stored preview is brought up to date.
     * In the quoted sender's queue, so it is ordered with their edits and deletes.
     */
    async reconcileReply(reply: Message): Promise<Message> {
      const quote = reply.replyTo;
      if (!quote) return reply;
      return textWrites.run(quote.sender, async () => {
        const quoted = await messages.findById(quote.id);
        const current = quoted ? previewOf(quoted.content) : '';
        if (current === quote.content) return reply;
        return (await messages.setReplyPreview(reply.id, current)) ?? reply;
      });
    },

    /** Sender only, never a deleted message. The same text again changes nothing (a retried edit). */
    async edit(userId: string, input: { messageId: string; content: string }): Promise<ActionResult> {
      spend(userId);
      return textWrites.run(userId, async () => {
        const message = await ownMessage(userId, input.messageId);
        if (message.deletedAt) throw new AppError('FORBIDDEN', 'A deleted message cannot be edited');
        if (message.content === input.content) return { message, changed: false };
        // Previews first: a crash between the two writes leaves the edit undone and retryable,
        // never an edited message whose old text still shows in a quote.
        await messages.setReplyPreviews(message.sender, message.receiver, message.id, previewOf(input.content));
        const edited = await messages.applyEdit(message.id, input.content, now());
        if (!edited) throw new AppError('FORBIDDEN', 'A deleted message cannot be edited');
        return { message: edited, changed: true };
      });
    },

    /** Sender only, for both people; the text is wiped in storage. Deleting twice answers the same. */
    async remove(userId: string, input: { messageId: string }): Promise<ActionResult> {
      spend(userId);
      return textWrites.run(userId, async () => {
        const message = await ownMessage(userId, input.messageId);
        // Previews first (and again on a repeated delete): a crash in between is repaired by the retry.
        await messages.setReplyPreviews(message.sender, message.receiver, message.id, '');
        if (message.deletedAt) return { message, changed: false };
        const deleted = await messages.applyDelete(message.id, now());
        if (!deleted) throw new AppError('NOT_FOUND', 'No such message');
        return { message: deleted, changed: true };
      });
    },

    /** Resolves when every edit and delete accepted so far has been stored (or failed). */
    drain(): Promise<void> {
      return textWrites.idle();
    },
  };
}

export type MessageActionsService = ReturnType<typeof createMessageActionsService>;
