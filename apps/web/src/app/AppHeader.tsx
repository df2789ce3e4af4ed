import type { User } from '@parley/protocol';
import { Avatar } from '../components/Avatar';
import { useAuth } from '../features/auth/AuthContext';
import { ConnectionStatus } from '../features/connection/ConnectionStatus';
import { NotificationControls } from '../features/notifications/NotificationControls';

interface AppHeaderProps {
  user: User;
  settingsOpen: boolean;
  onToggleSettings(): void;
}

export function AppHeader({ user, settingsOpen, onToggleSettings }: AppHeaderProps) {
  const { logout } = useAuth();
  return (
    <header className="app-header">
      <h1 className="app-header__brand">Parley</h1>
      <ConnectionStatus />
      <div className="app-header__me">
        <NotificationControls />
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
