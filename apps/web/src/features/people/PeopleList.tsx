import { useId } from 'react';
import type { User } from '@parley/protocol';
import { useNow } from '../../lib/time';
import { PersonRow } from './PersonRow';
import type { UserSearch } from './useUserSearch';

export function PeopleList({ search, onSelect }: { search: UserSearch; onSelect(user: User): void }) {
  const headingId = useId();
  const now = useNow();

  return (
    <section className="sidebar__section" aria-labelledby={headingId}>
      <h2 id={headingId} className="sidebar__heading">
        People
      </h2>
      {search.status === 'error' && <p className="sidebar__empty">Could not load people.</p>}
      {search.status === 'ready' && search.users.length === 0 && <p className="sidebar__empty">Nobody found.</p>}
      <ul className="sidebar__list" aria-busy={search.status === 'loading'}>
        {search.users.map((user) => (
          <PersonRow key={user.id} user={user} lastSeen={user.lastSeen} now={now} onSelect={onSelect} />
        ))}
      </ul>
    </section>
  );
}
