import { useConnectionState, type ConnectionState } from './SocketContext';

const LABELS: Record<ConnectionState, string> = {
  connected: 'Connected',
  connecting: 'Connecting…',
  offline: 'Offline',
};

export function ConnectionStatus() {
  const connection = useConnectionState();
  return (
    <p className={`connection connection--${connection}`} role="status">
      <span className="connection__dot" aria-hidden="true" />
      {LABELS[connection]}
    </p>
  );
}
