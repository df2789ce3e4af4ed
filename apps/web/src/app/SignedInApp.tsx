import type { User } from '@parley/protocol';
import { SocketProvider } from '../features/connection/SocketContext';
import { AppHeader } from './AppHeader';

export function SignedInApp({ user, accessToken }: { user: User; accessToken: string }) {
  return (
    <SocketProvider token={accessToken}>
      <div className="shell">
        <AppHeader user={user} />
      </div>
    </SocketProvider>
  );
}
