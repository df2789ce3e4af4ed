import type { Message, User } from '@parley/protocol';
import { storedOwnIds, type ChatState } from './chatState';
import { isSend, type OutboxEntry } from './outbox';

/**
 * One row of a conversation: a stored message, or one of ours still in the outbox. `pending`: the
 * message shows an edit or delete of ours that the server has not confirmed yet.
 */
export type ThreadItem = { kind: 'message'; message: Message; pending?: boolean } | { kind: 'outbox'; entry: OutboxEntry };

export function itemCreatedAt(item: ThreadItem): string {
  return item.kind === 'message' ? item.message.createdAt : item.entry.createdAt;
}

/** Our own messages are keyed by clientMessageId, so a bubble keeps its identity from pending to sent. */
export function itemKey(item: ThreadItem, meId: string): string {
  if (item.kind === 'outbox') return `own:${item.entry.clientMessageId}`;
  return item.message.sender === meId ? `own:${item.message.clientMessageId}` : `msg:${item.message.id}`;
}

/** The edits and deletes of mine still in the outbox, latest per message (by its clientMessageId). */
function pendingChanges(outbox: readonly OutboxEntry[], peerId: string): Map<string, OutboxEntry> {
  const changes = new Map<string, OutboxEntry>();
  for (const entry of outbox) {
    if (isSend(entry) || !entry.target || entry.receiverId !== peerId) continue;
    if (entry.state === 'failed' && entry.permanent) continue;
    const earlier = changes.get(entry.target.clientMessageId);
    if (earlier?.kind !== 'delete') changes.set(entry.target.clientMessageId, entry);
  }
  return changes;
}

/** A message as it will read once the server has my pending edit or delete. */
function withChange(message: Message, change: OutboxEntry): Message {
  if (message.deletedAt) return message;
  if (change.kind === 'delete') return { ...message, content: '', replyTo: null, deletedAt: change.createdAt };
  return { ...message, content: change.content, editedAt: message.editedAt ?? change.createdAt };
}

/**
 * Stored messages then outbox sends: unsent ones stay at the end, in the order written. My edits
 * and deletes not yet confirmed show at once (optimistically) on the message they change.
 */
export function threadOf(
  messages: readonly Message[] = [],
  outbox: readonly OutboxEntry[],
  meId: string,
  peerId: string,
): ThreadItem[] {
  const stored = storedOwnIds(messages, meId);
  const changes = pendingChanges(outbox, peerId);
  const items: ThreadItem[] = messages.map((message): ThreadItem => {
    const change = message.sender === meId ? changes.get(message.clientMessageId) : undefined;
    return change ? { kind: 'message', message: withChange(message, change), pending: true } : { kind: 'message', message };
  });
  for (const entry of outbox) {
    if (!isSend(entry) || entry.receiverId !== peerId || stored.has(entry.clientMessageId)) continue;
    const change = changes.get(entry.clientMessageId);
    if (change?.kind === 'delete') continue;
    items.push({ kind: 'outbox', entry: change ? { ...entry, content: change.content } : entry });
  }
  return items;
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
  const peers = new Set([...Object.keys(state.messagesByPeer), ...state.outbox.filter(isSend).map((entry) => entry.receiverId)]);
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

/**
 * The key of the first of the `unread` newest messages from `peerId` (where the "New messages"
 * divider goes), or null when there are none or not all of them are loaded yet.
 */
export function firstUnreadKey(items: readonly ThreadItem[], peerId: string, unread: number, meId: string): string | null {
  if (unread <= 0) return null;
  let seen = 0;
  for (let index = items.length - 1; index >= 0; index -= 1) {
    const item = items[index]!;
    if (item.kind === 'message' && item.message.sender === peerId && (seen += 1) === unread) return itemKey(item, meId);
  }
  return null;
}

/** Messages in the outbox that will go out by themselves once connected (not refused for good). */
export function selectWaitingCount(state: ChatState): number {
  return state.outbox.filter((entry) => !entry.permanent).length;
}
