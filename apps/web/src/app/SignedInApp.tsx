import { useState } from 'react';
import type { User } from '@parley/protocol';
import { AppHeader } from './AppHeader';
import { SessionProviders } from './SessionProviders';
import { Sidebar } from './Sidebar';
import './layout.css';

export function SignedInApp({ user, accessToken }: { user: User; accessToken: string }) {
  const [openPeer, setOpenPeer] = useState<User | null>(null);

  return (
    <SessionProviders accessToken={accessToken}>
      <div className="shell">
        <AppHeader user={user} />
        <div className="workspace" data-pane={openPeer ? 'chat' : 'list'}>
          <Sidebar onOpenChat={setOpenPeer} />
          <main className="workspace__main">
            <p className="empty-state">Pick someone to start chatting.</p>
          </main>
        </div>
      </div>
    </SessionProviders>
  );
}
