import type { User } from '@parley/protocol';
import { Avatar } from '../components/Avatar';
import { useAuth } from '../features/auth/AuthContext';
import { ConnectionStatus } from '../features/connection/ConnectionStatus';

interface AppHeaderProps {
  user: User;
  settingsOpen: boolean;
  onToggleSettings(): void;
}

export function AppHeader({ user, settingsOpen, onToggleSettings }: AppHeaderProps) {
  const { logout } = useAuth();
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
        <button type="button" className="button button--ghost" aria-pressed={settingsOpen} onClick={onToggleSettings}>
          Settings
        </button>
        <button type="button" className="button button--ghost" onClick={() => void logout()}>
          Sign out
        </button>
      </div>
    </header>
  );
}
