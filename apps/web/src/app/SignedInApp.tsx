import { useEffect, useState } from 'react';
import type { User } from '@parley/protocol';
import { AccountScreen } from '../features/account/AccountScreen';
import { AccountSection } from '../features/account/AccountSection';
import { useAuth } from '../features/auth/AuthContext';
import { useActivePeerId, useChatSelector } from '../features/chat/ChatContext';
import { ChatView } from '../features/chat/ChatView';
import { selectTotalUnread } from '../features/chat/selectors';
import { UpdateNotice } from '../features/connection/UpdateNotice';
import { Link } from 'react-router';
import { ShowPresenceToggle } from '../features/presence/ShowPresenceToggle';
import { AppHeader } from './AppHeader';
import { useChatRoute } from './chatRoute';
import { Notifier } from './Notifier';
import { OfflineBanner } from './OfflineBanner';
import { SessionProviders } from './SessionProviders';
import { Sidebar } from './Sidebar';
import './layout.css';

export function Workspace() {
  const route = useChatRoute();
  const activePeerId = useActivePeerId();
  const peer = useChatSelector((state) => (activePeerId ? state.users[activePeerId] : undefined));
  const unread = useChatSelector(selectTotalUnread);

  // The tab title shows unread messages, so a background tab still says something arrived.
  useEffect(() => {
    document.title = unread ? `(${unread}) Parley` : 'Parley';
  }, [unread]);

  return (
    // One <main> holding both panes: on a phone only one shows, and the page keeps its main landmark.
    <main className="workspace" data-pane={route.username ? 'chat' : 'list'}>
      <Sidebar onOpen={route.open} focusSearch={!route.username} />
      <Notifier onOpen={route.open} />
      <div className="workspace__main">
        {peer && peer.username === route.username ? (
          <ChatView key={peer.id} peer={peer} onBack={route.back} />
        ) : route.missing ? (
          <p className="empty-state">
            Nobody here is called @{route.username}. <Link to="/">Back to chats</Link>
          </p>
        ) : route.failed ? (
          <p className="empty-state">
            Could not open the chat with @{route.username}.{' '}
            <button type="button" className="button--link" onClick={route.retry}>
              Try again
            </button>
          </p>
        ) : route.username ? (
          <p className="empty-state" role="status">
            Opening the chat…
          </p>
        ) : (
          <p className="empty-state">Pick a chat or a person to start talking.</p>
        )}
      </div>
    </main>
  );
}

export function SignedInApp({ user, accessToken }: { user: User; accessToken: string }) {
  const { api, updateUser, logoutEverywhere } = useAuth();
  const [view, setView] = useState<'chats' | 'settings'>('chats');
  return (
    <SessionProviders accessToken={accessToken}>
      <div className="shell">
        <AppHeader
          user={user}
          settingsOpen={view === 'settings'}
          onToggleSettings={() => setView((current) => (current === 'settings' ? 'chats' : 'settings'))}
        />
        <UpdateNotice />
        <OfflineBanner />
        {view === 'settings' ? (
          <AccountScreen
            me={user}
            api={api}
            onUserChanged={updateUser}
            signOutEverywhere={logoutEverywhere}
            onClose={() => setView('chats')}
          >
            <AccountSection title="Privacy">
              <ShowPresenceToggle api={api} />
            </AccountSection>
          </AccountScreen>
        ) : (
          <Workspace />
        )}
      </div>
    </SessionProviders>
  );
}
