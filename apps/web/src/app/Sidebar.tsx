import { useMemo, useState } from 'react';
import { useActivePeerId, useChatActions, useChatSelector } from '../features/chat/ChatContext';
import { ConversationList } from '../features/chat/ConversationList';
import { sameConversations, selectConversations } from '../features/chat/selectors';
import { useTyping } from '../features/chat/typing/TypingContext';
import { PeopleList } from '../features/people/PeopleList';
import { useUserSearch } from '../features/people/useUserSearch';
import { useSession } from '../lib/session';

function matches(query: string, ...fields: string[]): boolean {
  const needle = query.trim().toLowerCase();
  return !needle || fields.some((field) => field.toLowerCase().includes(needle));
}

/** Chats first, then everyone: one search box filters both, so any person is a click away. */
export function Sidebar() {
  const { me } = useSession();
  const activePeerId = useActivePeerId();
  const { openChat } = useChatActions();
  const allConversations = useChatSelector(selectConversations, sameConversations);
  const { isTyping } = useTyping();
  const [query, setQuery] = useState('');
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
          className="field__input sidebar__search-input"
          type="search"
          placeholder="Search people"
          autoComplete="off"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
        />
      </div>
      <ConversationList
        conversations={conversations}
        meId={me.id}
        activePeerId={activePeerId}
        isTyping={isTyping}
        onSelect={openChat}
        emptyText={query.trim() ? 'No chats match.' : 'No conversations yet'}
      />
      <PeopleList search={search} onSelect={openChat} />
    </nav>
  );
}
