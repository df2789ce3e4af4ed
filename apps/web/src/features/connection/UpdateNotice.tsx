import { useConnectionState } from '../../lib/socketContext';

/** Shown once the server refused this page's code as too old: only a reload brings the new one. */
export function UpdateNotice() {
  const connection = useConnectionState();
  if (connection !== 'outdated') return null;
  return (
    <div className="update-notice" role="alert">
      <span>Parley was updated: reload</span>
      <button type="button" className="button button--primary" onClick={() => window.location.reload()}>
        Reload
      </button>
    </div>
  );
}
