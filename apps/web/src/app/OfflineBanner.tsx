import { useState } from 'react';
import { useChatSelector } from '../features/chat/ChatContext';
import { selectWaitingCount } from '../features/chat/selectors';
import { useConnectionState } from '../lib/socketContext';

export function waitingText(count: number): string {
  if (count === 0) return 'Messages you write now will be sent when you are back online.';
  return `${count} ${count === 1 ? 'message' : 'messages'} will be sent when you are back online.`;
}

/**
 * Offline: say so across the top, with what is waiting to go. (The header's status already
 * announces "Offline"; this live region then speaks up as the count changes.)
 */
export function OfflineBanner() {
  const connection = useConnectionState();
  const waiting = useChatSelector(selectWaitingCount);
  // Not while the first connection is still being made: only once it has been lost.
  const [wasConnected, setWasConnected] = useState(false);
  if (connection === 'connected' && !wasConnected) setWasConnected(true);
  const lost = wasConnected && (connection === 'offline' || connection === 'connecting');
  return (
    <div className="offline-banner-area" aria-live="polite">
      {lost && (
        <p className="offline-banner">
          <strong>{connection === 'offline' ? 'You are offline.' : 'Reconnecting…'}</strong> {waitingText(waiting)}
        </p>
      )}
    </div>
  );
}
