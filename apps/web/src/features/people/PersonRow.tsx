import type { User } from '@parley/protocol';
import { Avatar } from '../../components/Avatar';
import { PresenceDot } from '../../components/PresenceDot';
import { presenceText, useShownPresence } from '../../lib/presence';

interface PersonRowProps {
  /** A directory row carries the lastSeen the server answered with (UserWithPresence). */
  user: User & { lastSeen?: string | null };
  now: number;
  onSelect(user: User): void;
}

export function PersonRow({ user, now, onSelect }: PersonRowProps) {
  const presence = useShownPresence();
  const shown = presence.presenceOf(user.id);
  // Until the directory answer is remembered (an effect, after this render) the row's own
  // lastSeen speaks, so a reload never flashes "Offline" where "last seen ..." belongs.
  const remembered = presence.lastSeenOf(user.id);
  const status = presenceText(shown, remembered === undefined ? user.lastSeen : remembered, now);

  return (
    <li>
      <button type="button" className="row" onClick={() => onSelect(user)}>
        <span className="row__avatar">
          <Avatar name={user.displayName} />
          <PresenceDot presence={shown} />
        </span>
        <span className="row__body">
          <span className="row__title">{user.displayName}</span>
          {/* The handle gives way (ellipsis) to a long name; the presence status never does. */}
          <span className="row__subtitle row__subtitle--person">
            <span className="row__handle">@{user.username}</span>{' '}
            <span className="row__status">· {status}</span>
          </span>
        </span>
      </button>
    </li>
  );
}
