import type { Message, User } from '@parley/protocol';
import { storedOwnIds, type ChatState } from './chatState';
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
export function threadOf(
  messages: readonly Message[] = [],
  outbox: readonly OutboxEntry[],
  meId: string,
  peerId: string,
): ThreadItem[] {
  const stored = storedOwnIds(messages, meId);
  return [
    ...messages.map((message): ThreadItem => ({ kind: 'message', message })),
    ...outbox
      .filter((entry) => entry.receiverId === peerId && !stored.has(entry.clientMessageId))
      .map((entry): ThreadItem => ({ kind: 'outbox', entry })),
  ];
}

export function selectThread(state: ChatState, peerId: string): ThreadItem[] {
  return threadOf(state.messagesByPeer[peerId], state.outbox, state.meId, peerId);
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

function sameItem(a: ThreadItem, b: ThreadItem): boolean {
  return a.kind === 'message' ? b.kind === 'message' && a.message === b.message : b.kind === 'outbox' && a.entry === b.entry;
}

/** Equal lists of summaries: the sidebar need not re-render when nothing it shows changed. */
export function sameConversations(a: readonly ConversationSummary[], b: readonly ConversationSummary[]): boolean {
  return (
    a.length === b.length &&
    a.every((summary, index) => {
      const other = b[index]!;
      return summary.peerId === other.peerId && summary.user === other.user && summary.unread === other.unread && sameItem(summary.last, other.last);
    })
  );
}

/** Unread messages across every conversation (the tab title shows it). */
export function selectTotalUnread(state: ChatState): number {
  return Object.values(state.unreadByPeer).reduce((sum, count) => sum + count, 0);
}
