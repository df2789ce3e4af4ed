import { useId } from 'react';
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
}

export function ConversationList({ conversations, meId, activePeerId, isTyping, onSelect, emptyText }: ConversationListProps) {
  const headingId = useId();
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
    </section>
  );
}
