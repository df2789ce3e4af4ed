import { useMemo, useState } from 'react';
import { useSignedInUser } from '../auth/AuthContext';
import { PeopleList } from '../presence/PeopleList';
import { useUserSearch } from '../presence/useUserSearch';
import { useChat } from './ChatContext';
import { ConversationList } from './ConversationList';
import { selectConversations } from './selectors';
import { useTyping } from './typing/TypingContext';

function matches(query: string, ...fields: string[]): boolean {
  const needle = query.trim().toLowerCase();
  return !needle || fields.some((field) => field.toLowerCase().includes(needle));
}

/** Chats first, then everyone: one search box filters both, so any person is a click away. */
export function Sidebar() {
  const { user: me } = useSignedInUser();
  const { state, activePeerId, openChat } = useChat();
  const { isTyping } = useTyping();
  const [query, setQuery] = useState('');
  const search = useUserSearch(query);
  const conversations = useMemo(
    () => selectConversations(state).filter((c) => c.user && matches(query, c.user.displayName, c.user.username)),
    [state, query],
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
