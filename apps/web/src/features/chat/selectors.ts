import type { Message, User } from '@parley/protocol';
import type { ChatState } from './chatState';
import type { OutboxEntry } from './outbox';

/** One row of a conversation: a stored message, or one of ours still in the outbox. */
export type ThreadItem = { kind: 'message'; message: Message } | { kind: 'outbox'; entry: OutboxEntry };

export function itemCreatedAt(item: ThreadItem): string {
  return item.kind === 'message' ? item.message.createdAt : item.entry.createdAt;
}

/** Our own messages are keyed by clientMessageId, so a bubble keeps its identity from pending to sent. */
export function itemKey(item: ThreadItem, meId: string): string {
  if (item.kind === 'outbox') return `own:${item.entry.clientMessageId}`;
  return item.message.sender === meId ? `own:${item.message.clientMessageId}` : `msg:${item.message.id}`;
}

/** Stored messages then outbox entries: unsent ones stay at the end, in the order written. */
export function selectThread(state: ChatState, peerId: string): ThreadItem[] {
  const messages = state.messagesByPeer[peerId] ?? [];
  const stored = new Set(messages.filter((m) => m.sender === state.meId).map((m) => m.clientMessageId));
  return [
    ...messages.map((message): ThreadItem => ({ kind: 'message', message })),
    ...state.outbox
      .filter((entry) => entry.receiverId === peerId && !stored.has(entry.clientMessageId))
      .map((entry): ThreadItem => ({ kind: 'outbox', entry })),
  ];
}

export interface ConversationSummary {
  peerId: string;
  user: User | null;
  last: ThreadItem;
  unread: number;
}

/** Every conversation with at least one message (sent, received or pending), newest first. */
export function selectConversations(state: ChatState): ConversationSummary[] {
  const peers = new Set([...Object.keys(state.messagesByPeer), ...state.outbox.map((entry) => entry.receiverId)]);
  const summaries: ConversationSummary[] = [];
  for (const peerId of peers) {
    const thread = selectThread(state, peerId);
    const last = thread[thread.length - 1];
    if (!last) continue;
    summaries.push({ peerId, user: state.users[peerId] ?? null, last, unread: state.unreadByPeer[peerId] ?? 0 });
  }
  return summaries.sort((a, b) => (itemCreatedAt(a.last) < itemCreatedAt(b.last) ? 1 : -1));
}
