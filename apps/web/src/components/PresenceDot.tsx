export function PresenceDot({ online }: { online: boolean }) {
  const label = online ? 'online' : 'offline';
  return <span className={`presence-dot presence-dot--${label}`} role="img" aria-label={label} />;
}
