import { useEffect, useState } from 'react';
import type { UserWithPresence } from '@parley/protocol';
import { useSession } from '../../lib/session';

export const SEARCH_DEBOUNCE_MS = 200;

export interface UserSearch {
  users: UserWithPresence[];
  status: 'loading' | 'ready' | 'error';
}

/** People matching `query`, asked for once typing pauses; answers to older queries are dropped. */
export function useUserSearch(query: string): UserSearch {
  const { api } = useSession();
  const [search, setSearch] = useState<UserSearch>({ users: [], status: 'loading' });

  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      api.searchUsers(query).then(
        (users) => current && setSearch({ users, status: 'ready' }),
        () => current && setSearch((previous) => ({ ...previous, status: 'error' })),
      );
    }, SEARCH_DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [api, query]);

  return search;
}
