import { useState } from 'react';
import type { User } from '@parley/protocol';
import { PeopleList } from '../features/presence/PeopleList';
import { useUserSearch } from '../features/presence/useUserSearch';

export function Sidebar({ onOpenChat }: { onOpenChat(user: User): void }) {
  const [query, setQuery] = useState('');
  const search = useUserSearch(query);

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
      <PeopleList search={search} onSelect={onOpenChat} />
    </nav>
  );
}
