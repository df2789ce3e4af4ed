import type { ShownPresence } from '../lib/presence';

const LABELS: Record<ShownPresence, string> = {
  online: 'online',
  offline: 'offline',
  unknown: 'presence unknown while offline',
};

export function PresenceDot({ presence }: { presence: ShownPresence }) {
  return <span className={`presence-dot presence-dot--${presence}`} role="img" aria-label={LABELS[presence]} />;
}
