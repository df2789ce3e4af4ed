import type { ReactNode } from 'react';
import { ChatProvider } from '../features/chat/ChatContext';
import { TypingProvider } from '../features/chat/typing/TypingContext';
import { SocketProvider } from '../features/connection/SocketContext';
import { PresenceProvider } from '../features/presence/PresenceContext';

/** Everything a signed-in session needs, in dependency order (the socket first). */
export function SessionProviders({ accessToken, children }: { accessToken: string; children: ReactNode }) {
  return (
    <SocketProvider token={accessToken}>
      <PresenceProvider>
        <ChatProvider>
          <TypingProvider>{children}</TypingProvider>
        </ChatProvider>
      </PresenceProvider>
    </SocketProvider>
  );
}
