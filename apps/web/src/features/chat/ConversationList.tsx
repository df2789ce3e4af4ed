import { useEffect, useId, useRef } from 'react';
import type { User } from '@parley/protocol';
import { Avatar } from '../../components/Avatar';
import { PresenceDot } from '../../components/PresenceDot';
import { formatClockTime, formatRelative, startOfDay, useNow } from '../../lib/time';
import { useShownPresence } from '../../lib/presence';
import type { ConversationSummary } from './selectors';
import './chat.css';

function previewOf(summary: ConversationSummary, meId: string): string {
  const { last } = summary;
  if (last.kind === 'outbox') return `You: ${last.entry.content}`;
  const own = last.message.sender === meId;
  if (last.message.deletedAt) return own ? 'You deleted this message' : 'This message was deleted';
  return own ? `You: ${last.message.content}` : last.message.content;
}

function shortTime(iso: string, now: number): string {
  return startOfDay(new Date(iso).getTime()) === startOfDay(now) ? formatClockTime(iso) : formatRelative(iso, now);
}

interface ConversationListProps {
  conversations: ConversationSummary[];
  meId: string;
  activePeerId: string | null;
  /** Who is typing to me right now, to show instead of the last message. */
  isTyping(userId: string): boolean;
  onSelect(user: User): void;
  emptyText: string;
  /** The server has older conversations than those listed (v2 paging). */
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore(): void;
}

/**
 * Asks for the next page when the end of the list scrolls into view. Where there is no
 * IntersectionObserver (old browsers, jsdom) the "Load more" button does it; keyboard users have it too.
 */
function useLoadAtEnd(enabled: boolean, onLoadMore: () => void) {
  const sentinel = useRef<HTMLDivElement>(null);
  const load = useRef(onLoadMore);
  load.current = onLoadMore;
  useEffect(() => {
    const element = sentinel.current;
    if (!enabled || !element || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) load.current();
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [enabled]);
  return sentinel;
}

export function ConversationList({ conversations, meId, activePeerId, isTyping, onSelect, emptyText, hasMore, loadingMore, onLoadMore }: ConversationListProps) {
  const headingId = useId();
  const sentinel = useLoadAtEnd(hasMore && !loadingMore, onLoadMore);
  const presence = useShownPresence();
  const now = useNow();

  return (
    <section className="sidebar__section" aria-labelledby={headingId}>
      <h2 id={headingId} className="sidebar__heading">
        Chats
      </h2>
      {conversations.length === 0 && <p className="sidebar__empty">{emptyText}</p>}
      <ul className="sidebar__list">
        {conversations.map((summary) => {
          const { user, peerId, unread, last } = summary;
          if (!user) return null; // Known once the conversation list reloads.
          const createdAt = last.kind === 'message' ? last.message.createdAt : last.entry.createdAt;
          const typing = isTyping(peerId);
          return (
            <li key={peerId}>
              <button
                type="button"
                className={`row ${unread > 0 ? 'row--unread' : ''}`}
                aria-current={peerId === activePeerId ? 'true' : undefined}
                onClick={() => onSelect(user)}
              >
                <span className="row__avatar">
                  <Avatar name={user.displayName} />
                  <PresenceDot presence={presence.presenceOf(peerId)} />
                </span>
                <span className="row__body">
                  <span className="row__title" dir="auto">
                    {user.displayName}
                  </span>
                  <span className={`row__subtitle ${typing ? 'row__subtitle--typing' : ''}`} dir="auto">
                    {typing ? `${user.displayName} is typing…` : previewOf(summary, meId)}
                  </span>
                </span>
                <span className="row__meta">
                  <time dateTime={createdAt}>{shortTime(createdAt, now)}</time>
                  {unread > 0 && (
                    <span className="badge" aria-label={`${unread} unread`}>
                      {unread}
                    </span>
                  )}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
      {hasMore && (
        <div ref={sentinel} className="sidebar__more">
          <button type="button" className="button button--ghost" onClick={onLoadMore} disabled={loadingMore}>
            {loadingMore ? 'Loading…' : 'Load more chats'}
          </button>
        </div>
      )}
    </section>
  );
}
