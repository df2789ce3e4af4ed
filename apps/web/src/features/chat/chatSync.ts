import { CONVERSATIONS_PAGE_DEFAULT, type Conversation, type Message, type ReplyPreview, type User } from '@parley/protocol';
import type { ParleyApi } from '../../lib/api';
import type { ParleySocket } from '../../lib/socket';
import { listen } from '../../lib/socketEvents';
import { startCatchUp } from './catchUp';
import { historyOf, isNewIncoming, peerOf, type ChatAction, type ChatState } from './chatState';
import { createDeliveryReceipts } from './deliveryReceipts';
import { isSend, newClientMessageId, type OutboxEntry } from './outbox';
import { createOutboxRunner } from './outboxRunner';

export interface ChatSyncDeps {
  socket: ParleySocket;
  api: Pick<ParleyApi, 'conversations' | 'messages' | 'sync'>;
  meId: string;
  getState(): ChatState;
  /** Applies an action to the chat state (chatReducer); the caller owns where the state lives. */
  dispatch(action: ChatAction): void;
  /** Says something to assistive tech (a polite live region). */
  announce(text: string): void;
  /** A message someone just sent me (news, not history), with who sent it when known. */
  onNews?(message: Message, sender: User | undefined): void;
}

export interface ChatSync {
  /** Listens to the socket (and catches up on every connect); returns the stop. Restartable. */
  start(): () => void;
  /** The conversation the person is looking at (open, in a visible tab), or null. */
  setViewing(peerId: string | null): void;
  setConnected(connected: boolean): void;
  /** Loads the newest page of the conversation list (again). */
  reloadConversations(): Promise<void>;
  /** Loads the next older page of the conversation list, unless there is none or it is loading. */
  loadMoreConversations(): void;
  openChat(user: User): void;
  /** Loads the newest page of a conversation unless it is loaded or loading. */
  ensureHistory(peerId: string): void;
  loadOlder(peerId: string): void;
  send(peerId: string, content: string, replyTo?: ReplyPreview): void;
  /** Edits one of my messages (named by its clientMessageId), stored or still in the outbox. */
  edit(peerId: string, clientMessageId: string, content: string): void;
  /** Deletes one of my messages for both people (a send that never left is just dropped). */
  remove(peerId: string, clientMessageId: string): void;
  retry(clientMessageId: string): void;
}

function describeIncoming(message: Message, sender: User | undefined): string {
  // "someone" only when even the reloaded conversation list could not say who it was.
  return `New message from ${sender?.displayName ?? 'someone'}: ${message.content}`;
}

/**
 * Everything that keeps a signed-in client's chats in step with the server, without React
 * (tldraw sync-core's client shape): socket event intake, catch-up after each connect, the
 * conversation list, history pages, delivery and read receipts, and the outbox. React only
 * renders the state it dispatches, and tells it what is on screen and whether we are connected.
 */
export function createChatSync({ socket, api, meId, getState, dispatch, announce, onNews }: ChatSyncDeps): ChatSync {
  const receipts = createDeliveryReceipts(socket, meId);
  let viewing: string | null = null;
  let lastViewed: string | null = null;
  let connected = false;
  let running = false;

  // Every action goes through here, so the outbox runner sees every change of the outbox. An
  // action dispatched while the runner works (its own "attempted") is handled right after it.
  let outboxSeen: readonly OutboxEntry[] | null = null;
  let working = false;
  let again = false;
  const outbox = createOutboxRunner(socket, meId, apply, (entry) =>
    announce(entry.kind === 'delete' ? 'The message could not be deleted.' : 'The edit could not be saved.'),
  );

  function apply(action: ChatAction) {
    dispatch(action);
    if (getState().outbox !== outboxSeen) runOutbox();
  }

  function runOutbox() {
    if (!running) return;
    if (working) {
      again = true;
      return;
    }
    working = true;
    try {
      do {
        again = false;
        outboxSeen = getState().outbox;
        outbox.run(outboxSeen, connected);
      } while (again);
    } finally {
      working = false;
    }
  }

  function markRead(peerId: string) {
    socket.emit('mark_as_read', { senderId: peerId });
    apply({ type: 'markedRead', peerId, readAt: new Date().toISOString() });
  }

  /** A page of the conversation list: stored (each conversation once, by peer), acknowledged, read if on screen. */
  function receiveConversations(conversations: Conversation[], nextCursor: string | null, older: boolean) {
    apply({ type: 'conversationsLoaded', conversations, viewingPeerId: viewing, nextCursor, older });
    receipts.acknowledge(conversations.map((c) => c.lastMessage));
    // The server still counts unread in the conversation on screen: it is read now.
    if (viewing && conversations.some((c) => c.user.id === viewing && c.unreadCount > 0)) markRead(viewing);
  }

  function reloadConversations(): Promise<void> {
    return api.conversations({ limit: CONVERSATIONS_PAGE_DEFAULT }).then(
      (page) => receiveConversations(page.conversations, page.nextCursor, false),
      () => undefined, // The list keeps what it has; the next reconnect asks again.
    );
  }

  function loadMoreConversations() {
    const { loaded, nextCursor, loadingMore } = getState().conversationPages;
    if (!loaded || !nextCursor || loadingMore) return;
    apply({ type: 'moreConversationsRequested' });
    api.conversations({ limit: CONVERSATIONS_PAGE_DEFAULT, before: nextCursor }).then(
      (page) => receiveConversations(page.conversations, page.nextCursor, true),
      () => apply({ type: 'moreConversationsFailed' }),
    );
  }

  /** Messages from history or catch-up: stored, acknowledged, and read if on screen. */
  function receiveQuietly(messages: Message[]) {
    apply({ type: 'messagesReceived', messages, live: false, viewingPeerId: null });
    receipts.acknowledge(messages);
    if (viewing && messages.some((m) => m.sender === viewing && !m.isRead)) markRead(viewing);
  }

  function receiveLive(message: Message) {
    const before = getState();
    const news = isNewIncoming(before, message);
    apply({ type: 'messagesReceived', messages: [message], live: true, viewingPeerId: viewing });
    receipts.acknowledge([message]);
    if (!news) return;
    const peerId = peerOf(message, meId);
    const sender = before.users[peerId];
    if (peerId === viewing) markRead(peerId);
    const tell = (known: User | undefined) => {
      announce(describeIncoming(message, known));
      onNews?.(message, known);
    };
    if (sender) {
      tell(sender);
      return;
    }
    // A first message from someone new: the reloaded list brings their name, then we say it.
    void reloadConversations().then(() => tell(getState().users[peerId]));
  }

  /**
   * A send of mine the server cannot have (never attempted, or refused for good): it can still
   * change in place.
   */
  function unsentSend(clientMessageId: string): boolean {
    return getState().outbox.some(
      (entry) => isSend(entry) && entry.clientMessageId === clientMessageId && (entry.attempts === 0 || (entry.state === 'failed' && entry.permanent)),
    );
  }

  /**
   * Queues an edit or delete behind my earlier sends to the same person. Its message's id is known
   * when it is stored; a message still on its way gets it when its stored copy arrives.
   */
  function queueChange(kind: 'edit' | 'delete', peerId: string, clientMessageId: string, content: string) {
    const stored = (getState().messagesByPeer[peerId] ?? []).find((m) => m.sender === meId && m.clientMessageId === clientMessageId);
    queue(peerId, content, { kind, target: { clientMessageId, messageId: stored?.id ?? null } });
  }

  /** A new outbox entry (a send, or an edit or delete with `extra`), under an id of its own. */
  function queue(peerId: string, content: string, extra: Partial<OutboxEntry> = {}) {
    const entry: OutboxEntry = {
      clientMessageId: newClientMessageId(),
      receiverId: peerId,
      content,
      createdAt: new Date().toISOString(),
      state: 'sending',
      attempts: 0,
      permanent: false,
      ...extra,
    };
    apply({ type: 'outboxQueued', entry });
  }

  function loadHistory(peerId: string, before: string | null) {
    const older = before !== null;
    apply({ type: 'historyRequested', peerId, older });
    api.messages(peerId, before).then(
      (page) => {
        apply({ type: 'historyLoaded', peerId, page, older });
        receipts.acknowledge(page.messages);
      },
      () => apply({ type: 'historyFailed', peerId, older }),
    );
  }

  return {
    start() {
      running = true;
      const stops = [
        listen(socket, 'new_message', ({ message }) => receiveLive(message)),
        listen(socket, 'message_updated', ({ message }) => apply({ type: 'messageUpdated', message })),
        listen(socket, 'messages_read', (event) => apply({ type: 'messagesRead', event })),
        listen(socket, 'messages_delivered', ({ messageIds, deliveredAt }) =>
          apply({ type: 'messagesDelivered', messageIds, deliveredAt }),
        ),
        startCatchUp(socket, api, meId, {
          onMessages: receiveQuietly,
          // The server's unread counts and conversation list are the truth after time away.
          onDone: (changed) => {
            if (changed) reloadConversations();
          },
        }),
      ];
      reloadConversations();
      outboxSeen = null;
      runOutbox();
      return () => {
        running = false;
        stops.forEach((stop) => stop());
        receipts.stop();
        outbox.stop();
      };
    },
    setViewing(peerId) {
      if (peerId === viewing) return;
      viewing = peerId;
      if (!peerId) return;
      // The divider goes above what was unread. Coming back to the same chat with nothing new
      // keeps it where it was; another chat starts without one.
      const unread = getState().unreadByPeer[peerId] ?? 0;
      if (unread > 0 || peerId !== lastViewed) apply({ type: 'readMarkerSet', peerId, count: unread });
      lastViewed = peerId;
      // Opening a conversation, or coming back to the tab with it open, reads it.
      markRead(peerId);
    },
    setConnected(next) {
      if (next === connected) return;
      connected = next;
      // Connected again: everything not refused for good goes out now.
      if (connected) apply({ type: 'outboxResumed' });
      outboxSeen = null;
      runOutbox();
    },
    reloadConversations,
    loadMoreConversations,
    openChat(user) {
      apply({ type: 'usersSeen', users: [user] });
    },
    ensureHistory(peerId) {
      const { status } = historyOf(getState(), peerId);
      if (status === 'idle' || status === 'error') loadHistory(peerId, null);
    },
    loadOlder(peerId) {
      const history = historyOf(getState(), peerId);
      if (history.status === 'ready' && history.nextCursor && !history.loadingOlder) loadHistory(peerId, history.nextCursor);
    },
    send(peerId, content, replyTo) {
      queue(peerId, content, replyTo ? { replyTo } : {});
    },
    edit(peerId, clientMessageId, content) {
      // A send that has not left yet simply goes out with the new text.
      if (unsentSend(clientMessageId)) return apply({ type: 'outboxContentChanged', clientMessageId, content });
      queueChange('edit', peerId, clientMessageId, content);
    },
    remove(peerId, clientMessageId) {
      if (unsentSend(clientMessageId)) return apply({ type: 'outboxRemoved', clientMessageId });
      queueChange('delete', peerId, clientMessageId, '');
    },
    retry(clientMessageId) {
      apply({ type: 'outboxRetried', clientMessageId });
    },
  };
}
