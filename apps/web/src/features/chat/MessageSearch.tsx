import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { Message } from '@parley/protocol';
import { useSession } from '../../lib/session';
import { formatClockTime, formatDay, useNow } from '../../lib/time';

export const MESSAGE_SEARCH_DEBOUNCE_MS = 250;

interface SearchState {
  query: string;
  hits: Message[];
  nextCursor: string | null;
  status: 'idle' | 'loading' | 'ready' | 'error';
}

/** `text` with every case-insensitive occurrence of `query` marked. */
export function highlight(text: string, query: string): ReactNode[] {
  const needle = query.trim().toLowerCase();
  if (!needle) return [text];
  const parts: ReactNode[] = [];
  const lower = text.toLowerCase();
  let from = 0;
  for (let at = lower.indexOf(needle); at !== -1; at = lower.indexOf(needle, from)) {
    if (at > from) parts.push(text.slice(from, at));
    parts.push(<mark key={at}>{text.slice(at, at + needle.length)}</mark>);
    from = at + needle.length;
  }
  if (from < text.length) parts.push(text.slice(from));
  return parts;
}

/**
 * Search in this conversation, on the server (it holds all of it): newest hits first, more on
 * demand, each a button that jumps to the message in the thread.
 */
export function MessageSearch({ peerId, onJump, onClose }: { peerId: string; onJump(message: Message): void; onClose(): void }) {
  const { api } = useSession();
  const [query, setQuery] = useState('');
  const [search, setSearch] = useState<SearchState>({ query: '', hits: [], nextCursor: null, status: 'idle' });
  const inputRef = useRef<HTMLInputElement>(null);
  const resultsId = useId();
  const now = useNow(60_000);

  useEffect(() => inputRef.current?.focus(), []);

  useEffect(() => {
    const q = query.trim();
    if (!q) {
      setSearch({ query: '', hits: [], nextCursor: null, status: 'idle' });
      return;
    }
    let current = true;
    const timer = setTimeout(() => {
      setSearch((previous) => ({ ...previous, status: 'loading' }));
      api.searchMessages(peerId, q).then(
        (page) => current && setSearch({ query: q, hits: page.messages, nextCursor: page.nextCursor, status: 'ready' }),
        () => current && setSearch((previous) => ({ ...previous, status: 'error' })),
      );
    }, MESSAGE_SEARCH_DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [api, peerId, query]);

  function loadMore() {
    if (!search.nextCursor) return;
    const { query: q, nextCursor } = search;
    setSearch((previous) => ({ ...previous, status: 'loading' }));
    api.searchMessages(peerId, q, nextCursor).then(
      (page) =>
        setSearch((previous) =>
          previous.query === q ? { query: q, hits: [...previous.hits, ...page.messages], nextCursor: page.nextCursor, status: 'ready' } : previous,
        ),
      () => setSearch((previous) => ({ ...previous, status: 'error' })),
    );
  }

  function handleKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'Escape') {
      // Closes the search only, not the chat.
      event.preventDefault();
      onClose();
    }
  }

  return (
    <div className="message-search" role="search" aria-label="Search in this chat">
      <div className="message-search__bar">
        <label className="visually-hidden" htmlFor={`${resultsId}-input`}>
          Search messages
        </label>
        <input
          id={`${resultsId}-input`}
          ref={inputRef}
          className="field__input message-search__input"
          type="search"
          placeholder="Search messages"
          autoComplete="off"
          dir="auto"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          onKeyDown={handleKeyDown}
          aria-controls={resultsId}
        />
        <button type="button" className="button button--ghost" onClick={onClose}>
          Close
        </button>
      </div>
      <div id={resultsId} className="message-search__results">
        <p className="visually-hidden" aria-live="polite">
          {search.status === 'ready' ? `${search.hits.length}${search.nextCursor ? ' or more' : ''} messages found` : ''}
        </p>
        {search.status === 'error' && <p className="message-search__note">Could not search. Try again.</p>}
        {search.status === 'ready' && search.hits.length === 0 && <p className="message-search__note">No messages found.</p>}
        {search.hits.length > 0 && (
          <ul className="message-search__list" aria-label="Search results">
            {search.hits.map((hit) => (
              <li key={hit.id}>
                <button type="button" className="message-search__hit" onClick={() => onJump(hit)}>
                  <span className="message-search__when">
                    {formatDay(hit.createdAt, now)}, {formatClockTime(hit.createdAt)}
                  </span>
                  <span className="message-search__text" dir="auto">
                    {highlight(hit.content, search.query)}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        )}
        {search.nextCursor && (
          <button type="button" className="button--link message-search__more" onClick={loadMore} disabled={search.status === 'loading'}>
            More results
          </button>
        )}
      </div>
    </div>
  );
}
