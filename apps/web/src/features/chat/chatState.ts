import { REPLY_PREVIEW_MAX_LENGTH, type Conversation, type Message, type MessagesPage, type MessagesReadEvent, type User } from '@parley/protocol';
import { upsertMessages } from './messageStore';
import type { OutboxEntry } from './outbox';

export interface PeerHistory {
  status: 'idle' | 'loading' | 'ready' | 'error';
  /** Feeds `before` for the next older page; null once the start is reached. */
  nextCursor: string | null;
  loadingOlder: boolean;
}

export interface ChatState {
  meId: string;
  users: Readonly<Record<string, User>>;
  /** Each conversation's known messages, oldest first, each exactly once. */
  messagesByPeer: Readonly<Record<string, readonly Message[]>>;
  unreadByPeer: Readonly<Record<string, number>>;
  /**
   * How many of a conversation's newest incoming messages were unread when it was last opened:
   * the chat opens at the first of them, under a "New messages" divider.
   */
  unreadOnOpen: Readonly<Record<string, number>>;
  history: Readonly<Record<string, PeerHistory>>;
  /** The conversation list's paging (v2): where the next older page starts, once a page has come. */
  conversationPages: ConversationPages;
  outbox: readonly OutboxEntry[];
}

export interface ConversationPages {
  loaded: boolean;
  /** Feeds `before` for the next older page; null when there is none. */
  nextCursor: string | null;
  loadingMore: boolean;
}

export type ChatAction =
  /** `viewingPeerId`'s count stays 0: it is on screen, and our mark_as_read may still be in flight. */
  | {
      type: 'conversationsLoaded';
      conversations: Conversation[];
      viewingPeerId: string | null;
      /** Where the next older page starts (absent: none). `older`: a page after the first. */
      nextCursor?: string | null;
      older?: boolean;
    }
  | { type: 'moreConversationsRequested' }
  | { type: 'moreConversationsFailed' }
  | { type: 'usersSeen'; users: User[] }
  | { type: 'historyRequested'; peerId: string; older: boolean }
  | { type: 'historyLoaded'; peerId: string; page: MessagesPage; older: boolean }
  | { type: 'historyFailed'; peerId: string; older: boolean }
  /**
   * Messages from anywhere: live events, acks, catch-up, history. Only `live` ones count as
   * unread, and not in the conversation the person is looking at (`viewingPeerId`).
   */
  | { type: 'messagesReceived'; messages: Message[]; live: boolean; viewingPeerId: string | null }
  | { type: 'messagesRead'; event: MessagesReadEvent }
  | { type: 'messagesDelivered'; messageIds: string[]; deliveredAt: string }
  | { type: 'markedRead'; peerId: string; readAt: string }
  /** A conversation comes into view with `count` unread (the divider's place). */
  | { type: 'readMarkerSet'; peerId: string; count: number }
  /** An edit or delete someone made (`message_updated`): the message, and the quotes of it here. */
  | { type: 'messageUpdated'; message: Message }
  | { type: 'outboxQueued'; entry: OutboxEntry }
  /** A send not yet attempted, edited before it left: it goes out with the new text. */
  | { type: 'outboxContentChanged'; clientMessageId: string; content: string }
  /** Done (an edit or delete the server acked) or dropped (a send deleted before it left, a refused edit). */
  | { type: 'outboxRemoved'; clientMessageId: string }
  | { type: 'outboxAttempted'; clientMessageId: string }
  | { type: 'outboxFailed'; clientMessageId: string; permanent: boolean }
  | { type: 'outboxRetried'; clientMessageId: string }
  /** Connected again: everything not refused for good goes out now. */
  | { type: 'outboxResumed' };

const NO_PAGES: ConversationPages = { loaded: false, nextCursor: null, loadingMore: false };

export function initialChatState(meId: string, outbox: OutboxEntry[] = []): ChatState {
  return { meId, users: {}, messagesByPeer: {}, unreadByPeer: {}, unreadOnOpen: {}, history: {}, conversationPages: NO_PAGES, outbox };
}

export function peerOf(message: Message, meId: string): string {
  return message.sender === meId ? message.receiver : message.sender;
}

/**
 * The clientMessageIds of my own messages among `messages`. Each is the server's stored copy,
 * so the outbox entry with that id is done: it leaves the outbox and is never shown twice.
 */
export function storedOwnIds(messages: readonly Message[], meId: string): Set<string> {
  return new Set(messages.filter((m) => m.sender === meId).map((m) => m.clientMessageId));
}

/**
 * Whether a live message is news here: someone else's, and not stored here already (an echo of
 * my own send, or a message catch-up or history brought first, is not). Only news is announced,
 * and read at once when its conversation is on screen.
 */
export function isNewIncoming(state: ChatState, message: Message): boolean {
  if (message.sender === state.meId) return false;
  return !(state.messagesByPeer[message.sender] ?? []).some((m) => m.id === message.id);
}

const IDLE_HISTORY: PeerHistory = { status: 'idle', nextCursor: null, loadingOlder: false };

export function historyOf(state: ChatState, peerId: string): PeerHistory {
  return state.history[peerId] ?? IDLE_HISTORY;
}

function withUsers(state: ChatState, users: User[]): ChatState {
  if (users.every((user) => state.users[user.id])) return state;
  const next = { ...state.users };
  for (const user of users) next[user.id] = user;
  return { ...state, users: next };
}

/** Stores messages, drops outbox entries the server now has, and counts fresh unread ones. */
function receive(state: ChatState, messages: Message[], live: boolean, viewingPeerId: string | null): ChatState {
  const byPeer: Record<string, Message[]> = {};
  for (const message of messages) (byPeer[peerOf(message, state.meId)] ??= []).push(message);

  let messagesByPeer = state.messagesByPeer;
  let unreadByPeer = state.unreadByPeer;
  for (const [peerId, incoming] of Object.entries(byPeer)) {
    const result = upsertMessages(messagesByPeer[peerId] ?? [], incoming);
    if (result.changed) messagesByPeer = { ...messagesByPeer, [peerId]: result.messages };
    const freshUnread = result.added.filter((m) => m.sender === peerId && !m.isRead).length;
    if (live && freshUnread && peerId !== viewingPeerId) {
      unreadByPeer = { ...unreadByPeer, [peerId]: (unreadByPeer[peerId] ?? 0) + freshUnread };
    }
  }

  const stored = storedOwnIds(messages, state.meId);
  let outbox = state.outbox.some((entry) => stored.has(entry.clientMessageId))
    ? state.outbox.filter((entry) => !stored.has(entry.clientMessageId))
    : state.outbox;
  // An edit or delete written while its message was still on its way learns the message's id.
  if (outbox.some((entry) => entry.target?.messageId === null && stored.has(entry.target.clientMessageId))) {
    const idByClientId = new Map(messages.filter((m) => m.sender === state.meId).map((m) => [m.clientMessageId, m.id]));
    outbox = outbox.map((entry) =>
      entry.target?.messageId === null && idByClientId.has(entry.target.clientMessageId)
        ? { ...entry, target: { ...entry.target, messageId: idByClientId.get(entry.target.clientMessageId) ?? null } }
        : entry,
    );
  }

  return { ...state, messagesByPeer, unreadByPeer, outbox };
}

/** Applies `update` to the messages matching `matches`, in every conversation. */
function updateMessages(state: ChatState, matches: (m: Message) => boolean, update: (m: Message) => Message): ChatState {
  let changed = false;
  const messagesByPeer: Record<string, readonly Message[]> = {};
  for (const [peerId, messages] of Object.entries(state.messagesByPeer)) {
    if (!messages.some(matches)) {
      messagesByPeer[peerId] = messages;
      continue;
    }
    changed = true;
    messagesByPeer[peerId] = messages.map((m) => (matches(m) ? update(m) : m));
  }
  return changed ? { ...state, messagesByPeer } : state;
}

/** Every quote of `message` shows what it says now (the server stores the same in the replies). */
function followQuotes(state: ChatState, message: Message): ChatState {
  const content = message.content.slice(0, REPLY_PREVIEW_MAX_LENGTH);
  return updateMessages(
    state,
    (m) => m.replyTo?.id === message.id && m.replyTo.content !== content,
    (m) => ({ ...m, replyTo: m.replyTo && { ...m.replyTo, content } }),
  );
}

/**
 * Marks sender -> receiver messages read. With a server `readAt`, only messages written by then
 * (a later one is still unread); a local read covers everything on screen.
 */
function markRead(state: ChatState, senderId: string, receiverId: string, readAt: string, writtenBy: string | null): ChatState {
  return updateMessages(
    state,
    (m) => m.sender === senderId && m.receiver === receiverId && !m.isRead && (writtenBy === null || m.createdAt <= writtenBy),
    (m) => ({ ...m, isRead: true, readAt, deliveredAt: m.deliveredAt ?? readAt }),
  );
}

function updateOutbox(state: ChatState, clientMessageId: string, update: (entry: OutboxEntry) => OutboxEntry): ChatState {
  return {
    ...state,
    outbox: state.outbox.map((entry) => (entry.clientMessageId === clientMessageId ? update(entry) : entry)),
  };
}

/**
 * A send refused for good was never stored, so edits and deletes queued for it can never be sent
 * (they wait for its id): they apply to the refused send itself — a delete drops it, an edit
 * changes the text a retry will send.
 */
function foldChangesIntoRefusedSend(state: ChatState, clientMessageId: string): ChatState {
  const changes = state.outbox.filter((entry) => entry.target?.clientMessageId === clientMessageId);
  if (changes.length === 0) return state;
  const deleted = changes.some((entry) => entry.kind === 'delete');
  const lastEdit = changes.filter((entry) => entry.kind === 'edit').at(-1);
  const outbox = state.outbox.flatMap((entry) => {
    if (entry.target?.clientMessageId === clientMessageId) return [];
    if (entry.clientMessageId !== clientMessageId) return [entry];
    if (deleted) return [];
    return [lastEdit ? { ...entry, content: lastEdit.content } : entry];
  });
  return { ...state, outbox };
}

export function chatReducer(state: ChatState, action: ChatAction): ChatState {
  switch (action.type) {
    case 'conversationsLoaded': {
      const next = receive(
        withUsers(state, action.conversations.map((c) => c.user)),
        action.conversations.map((c) => c.lastMessage),
        false,
        null,
      );
      // The server's counts are the truth for every conversation it listed.
      const unreadByPeer = { ...next.unreadByPeer };
      let unreadOnOpen = next.unreadOnOpen;
      for (const { user, unreadCount } of action.conversations) {
        unreadByPeer[user.id] = user.id === action.viewingPeerId ? 0 : unreadCount;
        // Opened before the list came (a reload at /chat/<username>): the server knows what was unread.
        if (user.id === action.viewingPeerId && unreadCount > 0 && !unreadOnOpen[user.id]) {
          unreadOnOpen = { ...unreadOnOpen, [user.id]: unreadCount };
        }
      }
      // As with history: the first page sets the cursor, older pages move it back, and a later
      // reload of the first page keeps our place further back.
      const pages = state.conversationPages;
      const nextCursor = action.older || !pages.loaded ? (action.nextCursor ?? null) : pages.nextCursor;
      const conversationPages = { loaded: true, nextCursor, loadingMore: action.older ? false : pages.loadingMore };
      return { ...next, unreadByPeer, unreadOnOpen, conversationPages };
    }
    case 'moreConversationsRequested':
      return { ...state, conversationPages: { ...state.conversationPages, loadingMore: true } };
    case 'moreConversationsFailed':
      return { ...state, conversationPages: { ...state.conversationPages, loadingMore: false } };
    case 'usersSeen':
      return withUsers(state, action.users);
    case 'historyRequested': {
      const current = historyOf(state, action.peerId);
      const history = action.older ? { ...current, loadingOlder: true } : { ...current, status: 'loading' as const };
      return { ...state, history: { ...state.history, [action.peerId]: history } };
    }
    case 'historyLoaded': {
      const next = receive(state, action.page.messages, false, null);
      const current = historyOf(state, action.peerId);
      // The first page sets the cursor; older pages move it back; a later reload of the
      // newest page must not lose our place further back.
      const nextCursor = action.older || current.status !== 'ready' ? action.page.nextCursor : current.nextCursor;
      return {
        ...next,
        history: { ...next.history, [action.peerId]: { status: 'ready', nextCursor, loadingOlder: false } },
      };
    }
    case 'historyFailed': {
      const current = historyOf(state, action.peerId);
      const history = action.older ? { ...current, loadingOlder: false } : { ...current, status: 'error' as const };
      return { ...state, history: { ...state.history, [action.peerId]: history } };
    }
    case 'messagesReceived':
      return receive(state, action.messages, action.live, action.viewingPeerId);
    case 'messagesRead': {
      const { readerId, senderId, readAt } = action.event;
      if (senderId === state.meId) return markRead(state, state.meId, readerId, readAt, readAt);
      if (readerId !== state.meId) return state;
      // Another of my tabs read this conversation.
      const next = markRead(state, senderId, state.meId, readAt, readAt);
      return { ...next, unreadByPeer: { ...next.unreadByPeer, [senderId]: 0 } };
    }
    case 'messagesDelivered': {
      const ids = new Set(action.messageIds);
      return updateMessages(
        state,
        (m) => ids.has(m.id) && m.deliveredAt === null,
        (m) => ({ ...m, deliveredAt: action.deliveredAt }),
      );
    }
    case 'markedRead': {
      const next = markRead(state, action.peerId, state.meId, action.readAt, null);
      if (next === state && !state.unreadByPeer[action.peerId]) return state;
      return { ...next, unreadByPeer: { ...next.unreadByPeer, [action.peerId]: 0 } };
    }
    case 'readMarkerSet':
      if (state.unreadOnOpen[action.peerId] === action.count) return state;
      return { ...state, unreadOnOpen: { ...state.unreadOnOpen, [action.peerId]: action.count } };
    case 'messageUpdated':
      return followQuotes(receive(state, [action.message], false, null), action.message);
    case 'outboxQueued':
      return { ...state, outbox: [...state.outbox, action.entry] };
    case 'outboxContentChanged':
      return updateOutbox(state, action.clientMessageId, (entry) => ({ ...entry, content: action.content }));
    case 'outboxRemoved':
      if (!state.outbox.some((entry) => entry.clientMessageId === action.clientMessageId)) return state;
      return { ...state, outbox: state.outbox.filter((entry) => entry.clientMessageId !== action.clientMessageId) };
    case 'outboxAttempted':
      return updateOutbox(state, action.clientMessageId, (entry) => ({
        ...entry,
        state: 'sending',
        attempts: entry.attempts + 1,
      }));
    case 'outboxFailed': {
      const failed = updateOutbox(state, action.clientMessageId, (entry) => ({
        ...entry,
        state: 'failed',
        permanent: action.permanent,
      }));
      return action.permanent ? foldChangesIntoRefusedSend(failed, action.clientMessageId) : failed;
    }
    case 'outboxRetried':
      return updateOutbox(state, action.clientMessageId, (entry) => ({ ...entry, state: 'sending', permanent: false }));
    case 'outboxResumed':
      if (!state.outbox.some((entry) => entry.state === 'failed' && !entry.permanent)) return state;
      return {
        ...state,
        outbox: state.outbox.map((entry) => (entry.state === 'failed' && !entry.permanent ? { ...entry, state: 'sending' } : entry)),
      };
  }
}
