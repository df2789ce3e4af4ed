import { useState } from 'react';
import type { User } from '@parley/protocol';
import { Avatar } from '../components/Avatar';
import { useAuth } from '../features/auth/AuthContext';
import { ConnectionStatus } from '../features/connection/ConnectionStatus';
import { ShowPresenceToggle } from '../features/presence/ShowPresenceToggle';
import { useSession } from '../lib/session';
import './appHeader.css';

export function AppHeader({ user }: { user: User }) {
  const { logout } = useAuth();
  const { api } = useSession();
  const [privacyOpen, setPrivacyOpen] = useState(false);
  return (
    <header className="app-header">
      <span className="app-header__brand">Parley</span>
      <ConnectionStatus />
      <div className="app-header__me">
        <Avatar name={user.displayName} />
        <div className="app-header__names">
          <span className="app-header__display-name">{user.displayName}</span>
          <span className="app-header__username">@{user.username}</span>
        </div>
        {/* Until a settings screen exists, privacy lives in a small menu here. */}
        <details className="app-header__menu" onToggle={(event) => setPrivacyOpen(event.currentTarget.open)}>
          <summary className="button button--ghost">Privacy</summary>
          {/* Mounted when opened: the setting is read then, not on every page load. */}
          <div className="app-header__menu-panel">{privacyOpen && <ShowPresenceToggle api={api} />}</div>
        </details>
        <button type="button" className="button button--ghost" onClick={() => void logout()}>
          Sign out
        </button>
      </div>
    </header>
  );
}
