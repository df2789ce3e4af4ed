import { useEffect, useState } from 'react';
import type { User } from '@parley/protocol';
import { AccountScreen } from '../features/account/AccountScreen';
import { AccountSection } from '../features/account/AccountSection';
import { useAuth } from '../features/auth/AuthContext';
import { useActivePeerId, useChatSelector } from '../features/chat/ChatContext';
import { ChatView } from '../features/chat/ChatView';
import { selectTotalUnread } from '../features/chat/selectors';
import { UpdateNotice } from '../features/connection/UpdateNotice';
import { ShowPresenceToggle } from '../features/presence/ShowPresenceToggle';
import { AppHeader } from './AppHeader';
import { SessionProviders } from './SessionProviders';
import { Sidebar } from './Sidebar';
import './layout.css';

export function Workspace() {
  const activePeerId = useActivePeerId();
  const peer = useChatSelector((state) => (activePeerId ? state.users[activePeerId] : undefined));
  const unread = useChatSelector(selectTotalUnread);

  // The tab title shows unread messages, so a background tab still says something arrived.
  useEffect(() => {
    document.title = unread ? `(${unread}) Parley` : 'Parley';
  }, [unread]);

  return (
    <div className="workspace" data-pane={peer ? 'chat' : 'list'}>
      <Sidebar />
      <main className="workspace__main">
        {peer ? <ChatView key={peer.id} peer={peer} /> : <p className="empty-state">Pick a chat or a person to start talking.</p>}
      </main>
    </div>
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
