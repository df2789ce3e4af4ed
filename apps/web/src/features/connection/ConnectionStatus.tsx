import { useConnectionState, type ConnectionState } from '../../lib/socketContext';

const LABELS: Record<ConnectionState, string> = {
  connected: 'Connected',
  connecting: 'Connecting…',
  offline: 'Offline',
  outdated: 'Offline',
};

export function ConnectionStatus() {
  const connection = useConnectionState();
  const shown = connection === 'outdated' ? 'offline' : connection;
  return (
    <p className={`connection connection--${shown}`} role="status">
      <span className="connection__dot" aria-hidden="true" />
      <span className="connection__label">{LABELS[connection]}</span>
    </p>
  );
}
