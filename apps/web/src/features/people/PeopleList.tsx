import { useEffect, useId, useMemo } from 'react';
import type { User } from '@parley/protocol';
import { usePresenceWatcher, useWatchPresence } from '../../lib/presence';
import { useMinuteClock } from '../../lib/time';
import { PersonRow } from './PersonRow';
import type { UserSearch } from './useUserSearch';

export function PeopleList({ search, onSelect }: { search: UserSearch; onSelect(user: User): void }) {
  const headingId = useId();
  const now = useMinuteClock();
  const { remember } = usePresenceWatcher();
  // The rows on screen are watched (the server caps a subscription at 200, as the list is).
  const ids = useMemo(() => search.users.map((user) => user.id), [search.users]);
  useWatchPresence(ids);
  useEffect(() => remember(search.users), [remember, search.users]);

  return (
    <section className="sidebar__section" aria-labelledby={headingId}>
      <h2 id={headingId} className="sidebar__heading">
        People
      </h2>
      {search.status === 'error' && <p className="sidebar__empty">Could not load people.</p>}
      {search.status === 'ready' && search.users.length === 0 && <p className="sidebar__empty">Nobody found.</p>}
      <ul className="sidebar__list" aria-busy={search.status === 'loading'}>
        {search.users.map((user) => (
          <PersonRow key={user.id} user={user} now={now} onSelect={onSelect} />
        ))}
      </ul>
    </section>
  );
}
