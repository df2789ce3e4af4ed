import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { User } from '@parley/protocol';
import { useActivePeerId, useChatActions, useChatSelector } from '../features/chat/ChatContext';
import { ConversationList } from '../features/chat/ConversationList';
import { sameConversations, selectConversations } from '../features/chat/selectors';
import { useTyping } from '../features/chat/typing/TypingContext';
import { NotificationOffer } from '../features/notifications/NotificationControls';
import { PeopleList } from '../features/people/PeopleList';
import { useUserSearch } from '../features/people/useUserSearch';
import { useSession } from '../lib/session';

function wordsOf(text: string): string[] {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

/** As the server's directory search: each word typed begins a word of the name or username, any case or accent. */
function matches(query: string, displayName: string, username: string): boolean {
  const needles = wordsOf(query);
  if (needles.length === 0) return true;
  if (username.startsWith(query.trim().toLowerCase())) return true;
  const words = [...wordsOf(displayName), username];
  return needles.every((needle) => words.some((word) => word.startsWith(needle)));
}

/** Chats first, then everyone: one search box filters both, so any person is a click away. */
export function Sidebar({ onOpen, focusSearch }: { onOpen(user: User): void; focusSearch: boolean }) {
  const { me } = useSession();
  const activePeerId = useActivePeerId();
  const allConversations = useChatSelector(selectConversations, sameConversations);
  const pages = useChatSelector((state) => state.conversationPages);
  const { loadMoreConversations } = useChatActions();
  const { isTyping } = useTyping();
  const [query, setQuery] = useState('');
  const searchRef = useRef<HTMLInputElement>(null);
  // Signed in with no chat in the address: the first thing to do is find someone.
  const [focusOnStart] = useState(focusSearch);
  useEffect(() => {
    if (focusOnStart) searchRef.current?.focus();
  }, [focusOnStart]);
  // Opening a chat empties the box: a leftover filter would hide the chats that come in next.
  const open = useCallback(
    (user: User) => {
      setQuery('');
      onOpen(user);
    },
    [onOpen],
  );
  const search = useUserSearch(query);
  const conversations = useMemo(
    () => allConversations.filter((c) => c.user && matches(query, c.user.displayName, c.user.username)),
    [allConversations, query],
  );

  return (
    <nav className="sidebar" aria-label="Chats and people">
      <div className="sidebar__search">
        <label className="visually-hidden" htmlFor="people-search">
          Search people
        </label>
        <input
          id="people-search"
          ref={searchRef}
          className="field__input sidebar__search-input"
          type="search"
          placeholder="Search people"
          autoComplete="off"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
        />
      </div>
      <NotificationOffer />
      <ConversationList
        conversations={conversations}
        meId={me.id}
        activePeerId={activePeerId}
        isTyping={isTyping}
        onSelect={open}
        emptyText={query.trim() ? 'No chats match.' : 'No conversations yet'}
        hasMore={pages.nextCursor !== null}
        loadingMore={pages.loadingMore}
        onLoadMore={loadMoreConversations}
      />
      <PeopleList search={search} onSelect={open} />
    </nav>
  );
}
