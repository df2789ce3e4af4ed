import type { Message } from '@parley/protocol';

/**
 * Two copies of one message may disagree about receipts and about what it says. Receipts only
 * move forward: read stays read, and a known delivery or read time is never replaced by "not
 * yet". The text (content, quote, edited and deleted times) comes from the later version by
 * `updatedAt` — a history page fetched before an edit must not undo it — and a delete is final.
 */
export function mergeMessage(known: Message, incoming: Message): Message {
  const newer = known.deletedAt && !incoming.deletedAt ? known : incoming.updatedAt >= known.updatedAt || incoming.deletedAt ? incoming : known;
  return {
    ...incoming,
    content: newer.content,
    replyTo: newer.replyTo,
    editedAt: newer.editedAt,
    deletedAt: newer.deletedAt,
    updatedAt: incoming.updatedAt > known.updatedAt ? incoming.updatedAt : known.updatedAt,
    isRead: known.isRead || incoming.isRead,
    readAt: known.readAt ?? incoming.readAt,
    deliveredAt: known.deliveredAt ?? incoming.deliveredAt,
  };
}

function byCreation(a: Message, b: Message): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function sameMessage(a: Message, b: Message): boolean {
  return a.id === b.id || (a.sender === b.sender && a.clientMessageId === b.clientMessageId);
}

export interface UpsertResult {
  /** The same array as `existing` when nothing changed, so React can skip work. */
  messages: readonly Message[];
  /** The incoming messages that were not known before (after de-duplication). */
  added: Message[];
  changed: boolean;
}

/**
 * Adds or merges `incoming` into a conversation (oldest first). A message is the same message
 * when its id matches, or its sender and clientMessageId do: each one shows exactly once.
 */
export function upsertMessages(existing: readonly Message[], incoming: readonly Message[]): UpsertResult {
  const messages = [...existing];
  const added: Message[] = [];
  let changed = false;
  for (const message of incoming) {
    const index = messages.findIndex((known) => sameMessage(known, message));
    if (index === -1) {
      messages.push(message);
      added.push(message);
      changed = true;
      continue;
    }
    const known = messages[index] as Message;
    const merged = mergeMessage(known, message);
    if (!sameState(known, merged)) {
      messages[index] = merged;
      changed = true;
    }
  }
  if (added.length) messages.sort(byCreation);
  return { messages: changed ? messages : existing, added, changed };
}

function sameState(a: Message, b: Message): boolean {
  return (
    a.isRead === b.isRead &&
    a.readAt === b.readAt &&
    a.deliveredAt === b.deliveredAt &&
    a.content === b.content &&
    a.editedAt === b.editedAt &&
    a.deletedAt === b.deletedAt &&
    a.replyTo?.content === b.replyTo?.content
  );
}
