import { useEffect } from 'react';
import type { User } from '@parley/protocol';
import { useActivePeerId, useChatSelector } from '../features/chat/ChatContext';
import { ChatView } from '../features/chat/ChatView';
import { selectTotalUnread } from '../features/chat/selectors';
import { UpdateNotice } from '../features/connection/UpdateNotice';
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
  return (
    <SessionProviders accessToken={accessToken}>
      <div className="shell">
        <AppHeader user={user} />
        <UpdateNotice />
        <Workspace />
      </div>
    </SessionProviders>
  );
}
