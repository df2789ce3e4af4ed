import { useEffect, useId, useState } from 'react';
import type { ParleyApi } from '../../lib/api';
import './presence.css';

/**
 * "Show when I'm online": the user's `showPresence` setting. Off, nobody else sees them online
 * or when they were last seen (the server enforces it everywhere). Saved at once; a failed save
 * puts the switch back and says so.
 */
export function ShowPresenceToggle({ api }: { api: Pick<ParleyApi, 'me' | 'updateMe'> }) {
  const hintId = useId();
  const [shown, setShown] = useState<boolean | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    api.me().then(
      (me) => current && setShown(me.showPresence),
      () => current && setError('Could not load this setting.'),
    );
    return () => {
      current = false;
    };
  }, [api]);

  async function change(next: boolean) {
    const before = shown;
    setShown(next);
    setSaving(true);
    setError(null);
    try {
      setShown((await api.updateMe({ showPresence: next })).showPresence);
    } catch {
      setShown(before);
      setError('Could not save the setting. Try again.');
    } finally {
      setSaving(false);
    }
  }

  return (
    <div className="presence-toggle">
      <label className="presence-toggle__label">
        <input
          type="checkbox"
          role="switch"
          checked={shown ?? false}
          disabled={shown === null || saving}
          aria-describedby={hintId}
          onChange={(event) => void change(event.target.checked)}
        />
        Show when I’m online
      </label>
      <p id={hintId} className="presence-toggle__hint">
        When off, nobody sees you online or when you were last seen.
      </p>
      {error && (
        <p className="presence-toggle__error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
