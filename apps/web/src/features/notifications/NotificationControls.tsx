import { useStoreSelector } from '../../lib/store';
import { muted, newsArrived, permission, requestPermission } from './notifier';
import './notifications.css';

/**
 * Atop the chat list, as WhatsApp Web does: "Turn on notifications" once someone has written
 * (never on first load), only while the browser has not been asked and nothing is muted.
 */
export function NotificationOffer() {
  const isMuted = useStoreSelector(muted, (value) => value);
  const allowed = useStoreSelector(permission, (value) => value);
  const news = useStoreSelector(newsArrived, (value) => value);
  if (!news || allowed !== 'default' || isMuted) return null;
  return (
    <p className="notification-offer">
      <span>Get told about new messages when Parley is in the background.</span>
      <button type="button" className="button button--primary notification-offer__enable" onClick={() => void requestPermission()}>
        Turn on notifications
      </button>
    </p>
  );
}

/** In the header: the mute switch, always there. */
export function NotificationControls() {
  const isMuted = useStoreSelector(muted, (value) => value);
  return (
    <div className="notification-controls">
      <button
        type="button"
        className="button button--ghost notification-controls__mute"
        aria-pressed={isMuted}
        aria-label="Mute notifications"
        title={isMuted ? 'Notifications are muted' : 'Mute notifications'}
        onClick={() => muted.set(!isMuted)}
      >
        <svg aria-hidden="true" viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
          <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
          <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
          {isMuted && <path d="M3 3l18 18" />}
        </svg>
      </button>
    </div>
  );
}
