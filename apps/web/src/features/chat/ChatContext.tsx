import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import type { Message, ReplyPreview, User } from '@parley/protocol';
import type { ParleyApi } from '../../lib/api';
import { useSession } from '../../lib/session';
import type { ParleySocket } from '../../lib/socket';
import { useConnectionState, useSocket } from '../../lib/socketContext';
import { createStore, useStoreSelector, type Store } from '../../lib/store';
import { useDocumentVisible } from '../../lib/useDocumentVisible';
import { chatReducer, initialChatState, type ChatState } from './chatState';
import { createChatSync, type ChatSync } from './chatSync';
import { loadOutbox } from './outbox';

export interface ChatActions {
  openChat(user: User): void;
  closeChat(): void;
  /** Loads the newest page of a conversation unless it is loaded or loading. */
  ensureHistory(peerId: string): void;
  loadOlder(peerId: string): void;
  send(peerId: string, content: string, replyTo?: ReplyPreview): void;
  /** Edits or deletes one of my messages, named by its clientMessageId. */
  edit(peerId: string, clientMessageId: string, content: string): void;
  remove(peerId: string, clientMessageId: string): void;
  retry(clientMessageId: string): void;
  /** The conversation list's next older page (the list was scrolled to its end, or "Load more"). */
  loadMoreConversations(): void;
}

/** One signed-in session's chats: stores React reads through selectors, and what keeps them in sync. */
/** Hears each message someone sends me, as it arrives (not history, not my own). */
export type NewsListener = (message: Message, sender: User | undefined) => void;

interface ChatSession {
  state: Store<ChatState>;
  news: Set<NewsListener>;
  activePeerId: Store<string | null>;
  announcement: Store<string>;
  sync: ChatSync;
  actions: ChatActions;
}

function createChatSession(socket: ParleySocket, api: ParleyApi, meId: string): ChatSession {
  const state = createStore(initialChatState(meId, loadOutbox(meId)));
  const activePeerId = createStore<string | null>(null);
  const announcement = createStore('');
  const news = new Set<NewsListener>();
  const sync = createChatSync({
    socket,
    api,
    meId,
    getState: state.get,
    dispatch: (action) => state.set(chatReducer(state.get(), action)),
    announce: announcement.set,
    onNews: (message, sender) => news.forEach((listener) => listener(message, sender)),
  });
  const actions: ChatActions = {
    openChat: (user) => {
      sync.openChat(user);
      activePeerId.set(user.id);
    },
    closeChat: () => activePeerId.set(null),
    ensureHistory: sync.ensureHistory,
    loadOlder: sync.loadOlder,
    send: sync.send,
    edit: sync.edit,
    remove: sync.remove,
    retry: sync.retry,
    loadMoreConversations: sync.loadMoreConversations,
  };
  return { state, news, activePeerId, announcement, sync, actions };
}

// The context value never changes: consumers re-render only for what their selectors read.
const ChatContext = createContext<ChatSession | null>(null);

/** A thin provider: it creates the session, starts its sync, and tells it what React knows. */
export function ChatProvider({ children }: { children: ReactNode }) {
  const { api, me } = useSession();
  const socket = useSocket();
  const [session] = useState(() => createChatSession(socket, api, me.id));
  const activePeerId = useStoreSelector(session.activePeerId, (id) => id);
  const visible = useDocumentVisible();
  const connected = useConnectionState() === 'connected';

  useEffect(() => session.sync.start(), [session]);
  // The conversation the person is actually looking at: open, in a visible tab.
  useEffect(() => session.sync.setViewing(activePeerId && visible ? activePeerId : null), [session, activePeerId, visible]);
  useEffect(() => session.sync.setConnected(connected), [session, connected]);

  return (
    <ChatContext.Provider value={session}>
      {children}
      <Announcer announcement={session.announcement} />
    </ChatContext.Provider>
  );
}

/** Announces incoming messages only; history loading stays quiet. */
function Announcer({ announcement }: { announcement: Store<string> }) {
  const text = useStoreSelector(announcement, (value) => value);
  return (
    <div className="visually-hidden" aria-live="polite" data-testid="chat-announcer">
      {text}
    </div>
  );
}

function useChatSession(): ChatSession {
  const value = useContext(ChatContext);
  if (!value) throw new Error('Chat hooks must be used inside <ChatProvider>');
  return value;
}

/** The part of the chat state a component shows; it re-renders only when that part changes. */
export function useChatSelector<S>(selector: (state: ChatState) => S, isEqual?: (a: S, b: S) => boolean): S {
  return useStoreSelector(useChatSession().state, selector, isEqual);
}

export function useActivePeerId(): string | null {
  return useStoreSelector(useChatSession().activePeerId, (id) => id);
}

/** Stable for the session's life. */
export function useChatActions(): ChatActions {
  return useChatSession().actions;
}

/** Calls `listener` (its latest version) for each message someone sends me while mounted. */
export function useMessageNews(listener: NewsListener): void {
  const { news } = useChatSession();
  const latest = useRef(listener);
  useEffect(() => {
    latest.current = listener;
  });
  useEffect(() => {
    const forward: NewsListener = (message, sender) => latest.current(message, sender);
    news.add(forward);
    return () => {
      news.delete(forward);
    };
  }, [news]);
}
