import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useLayoutEffect,
  useMemo,
  useReducer,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import type { Message, User } from '@parley/protocol';
import { useDocumentVisible } from '../../lib/useDocumentVisible';
import { useSession } from '../../lib/session';
import { useSocket } from '../../lib/socketContext';
import { useSocketEvent } from '../../lib/useSocketEvent';
import { chatReducer, historyOf, initialChatState, peerOf, type ChatState } from './chatState';
import { loadOutbox, newClientMessageId, type OutboxEntry } from './outbox';
import { useCatchUp } from './useCatchUp';
import { useDeliveryReceipts } from './useDeliveryReceipts';
import { useOutboxRunner } from './useOutboxRunner';

interface ChatContextValue {
  state: ChatState;
  activePeerId: string | null;
  openChat(user: User): void;
  closeChat(): void;
  /** Loads the newest page of a conversation unless it is loaded or loading. */
  ensureHistory(peerId: string): void;
  loadOlder(peerId: string): void;
  send(peerId: string, content: string): void;
  retry(clientMessageId: string): void;
}

const ChatContext = createContext<ChatContextValue | null>(null);

function describeIncoming(message: Message, sender: User | undefined): string {
  return `New message from ${sender?.displayName ?? 'someone'}: ${message.content}`;
}

export function ChatProvider({ children }: { children: ReactNode }) {
  const { api, me } = useSession();
  const socket = useSocket();
  const [state, dispatch] = useReducer(chatReducer, me.id, (meId) => initialChatState(meId, loadOutbox(meId)));
  const [activePeerId, setActivePeerId] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const visible = useDocumentVisible();

  // The conversation the person is actually looking at: open, in a visible tab.
  const viewingPeerId = activePeerId && visible ? activePeerId : null;
  const viewingRef = useRef(viewingPeerId);
  const stateRef = useRef(state);
  useLayoutEffect(() => {
    viewingRef.current = viewingPeerId;
    stateRef.current = state;
  });

  const acknowledgeDelivery = useDeliveryReceipts(socket, me.id);

  const reloadConversations = useCallback(() => {
    api.conversations().then(
      (conversations) => {
        dispatch({ type: 'conversationsLoaded', conversations, viewingPeerId: viewingRef.current });
        acknowledgeDelivery(conversations.map((c) => c.lastMessage));
      },
      () => undefined, // The list keeps what it has; the next reconnect asks again.
    );
  }, [api, acknowledgeDelivery]);

  useEffect(reloadConversations, [reloadConversations]);

  const markRead = useCallback(
    (peerId: string) => {
      socket.emit('mark_as_read', { senderId: peerId });
      dispatch({ type: 'markedRead', peerId, readAt: new Date().toISOString() });
    },
    [socket],
  );

  // Opening a conversation, or coming back to the tab with it open, reads it.
  const lastMarked = useRef<string | null>(null);
  useEffect(() => {
    if (!viewingPeerId) {
      lastMarked.current = null;
      return;
    }
    if (lastMarked.current === viewingPeerId) return; // StrictMode's second run
    lastMarked.current = viewingPeerId;
    markRead(viewingPeerId);
  }, [viewingPeerId, markRead]);

  /** Messages from history, acks or catch-up: stored, acknowledged, and read if on screen. */
  const receiveQuietly = useCallback(
    (messages: Message[]) => {
      dispatch({ type: 'messagesReceived', messages, live: false, viewingPeerId: null });
      acknowledgeDelivery(messages);
      const viewing = viewingRef.current;
      if (viewing && messages.some((m) => m.sender === viewing && !m.isRead)) markRead(viewing);
    },
    [acknowledgeDelivery, markRead],
  );

  useCatchUp(socket, api, me.id, {
    onMessages: receiveQuietly,
    // The server's unread counts and conversation list are the truth after time away.
    onDone: (changed) => {
      if (changed) reloadConversations();
    },
  });

  useSocketEvent('new_message', ({ message }) => {
    const peerId = peerOf(message, me.id);
    const known = (stateRef.current.messagesByPeer[peerId] ?? []).some((m) => m.id === message.id);
    dispatch({ type: 'messagesReceived', messages: [message], live: true, viewingPeerId: viewingRef.current });
    acknowledgeDelivery([message]);
    if (known || message.sender === me.id) return;
    const sender = stateRef.current.users[peerId];
    if (!sender) reloadConversations();
    setAnnouncement(describeIncoming(message, sender));
    if (peerId === viewingRef.current) markRead(peerId);
  });
  useSocketEvent('messages_read', (event) => dispatch({ type: 'messagesRead', event }));
  useSocketEvent('messages_delivered', ({ messageIds, deliveredAt }) =>
    dispatch({ type: 'messagesDelivered', messageIds, deliveredAt }),
  );

  useOutboxRunner(socket, me.id, state.outbox, dispatch);

  const loadHistory = useCallback(
    (peerId: string, before: string | null) => {
      const older = before !== null;
      dispatch({ type: 'historyRequested', peerId, older });
      api.messages(peerId, before).then(
        (page) => {
          dispatch({ type: 'historyLoaded', peerId, page, older });
          acknowledgeDelivery(page.messages);
        },
        () => dispatch({ type: 'historyFailed', peerId, older }),
      );
    },
    [api, acknowledgeDelivery],
  );

  // Stable for the provider's life (they read state through refs), so effects can depend on them.
  const actions = useMemo(
    () => ({
      openChat: (user: User) => {
        dispatch({ type: 'usersSeen', users: [user] });
        setActivePeerId(user.id);
      },
      closeChat: () => setActivePeerId(null),
      ensureHistory: (peerId: string) => {
        const { status } = historyOf(stateRef.current, peerId);
        if (status === 'idle' || status === 'error') loadHistory(peerId, null);
      },
      loadOlder: (peerId: string) => {
        const history = historyOf(stateRef.current, peerId);
        if (history.status === 'ready' && history.nextCursor && !history.loadingOlder) {
          loadHistory(peerId, history.nextCursor);
        }
      },
      send: (peerId: string, content: string) => {
        const entry: OutboxEntry = {
          clientMessageId: newClientMessageId(),
          receiverId: peerId,
          content,
          createdAt: new Date().toISOString(),
          state: 'sending',
          attempts: 0,
          permanent: false,
        };
        dispatch({ type: 'outboxQueued', entry });
      },
      retry: (clientMessageId: string) => dispatch({ type: 'outboxRetried', clientMessageId }),
    }),
    [loadHistory],
  );

  const value = useMemo<ChatContextValue>(() => ({ ...actions, state, activePeerId }), [actions, state, activePeerId]);

  return (
    <ChatContext.Provider value={value}>
      {children}
      {/* Announces incoming messages only; history loading stays quiet. */}
      <div className="visually-hidden" aria-live="polite" data-testid="chat-announcer">
        {announcement}
      </div>
    </ChatContext.Provider>
  );
}

export function useChat(): ChatContextValue {
  const value = useContext(ChatContext);
  if (!value) throw new Error('useChat must be used inside <ChatProvider>');
  return value;
}
