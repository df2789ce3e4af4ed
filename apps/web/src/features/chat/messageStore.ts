import type { Message } from '@parley/protocol';

/**
 * Two copies of one message can disagree only about receipts, and receipts only move forward:
 * read stays read, and a known delivery or read time is never replaced by "not yet".
 */
export function mergeMessage(known: Message, incoming: Message): Message {
  return {
    ...incoming,
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
    if (!sameReceipts(known, merged)) {
      messages[index] = merged;
      changed = true;
    }
  }
  if (added.length) messages.sort(byCreation);
  return { messages: changed ? messages : existing, added, changed };
}

function sameReceipts(a: Message, b: Message): boolean {
  return a.isRead === b.isRead && a.readAt === b.readAt && a.deliveredAt === b.deliveredAt;
}
