import { useCallback, useEffect, useState } from 'react';
import type { Session } from '@parley/protocol';
import { formatRelative, useNow } from '../../lib/time';
import { AccountSection } from './AccountSection';
import type { AccountApi } from './AccountScreen';
import { deviceName } from './deviceName';

type Load = { status: 'loading' } | { status: 'failed' } | { status: 'ready'; sessions: Session[] };

interface SessionsSectionProps {
  api: AccountApi;
  /** Bumped by the screen when something else changed the sessions (a password change). */
  version: number;
  /** Ends every session, this one included, and signs out here (rejects when the server could not). */
  signOutEverywhere(): Promise<void>;
}

/** Where this account is signed in, this device marked; each other one can be signed out. */
export function SessionsSection({ api, version, signOutEverywhere }: SessionsSectionProps) {
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState('');
  const now = useNow();

  const reload = useCallback(async () => {
    try {
      setLoad({ status: 'ready', sessions: await api.sessions() });
    } catch {
      setLoad({ status: 'failed' });
    }
  }, [api]);

  useEffect(() => {
    void reload();
  }, [reload, version]);

  async function endSession(session: Session) {
    setBusy(session.id);
    try {
      await api.endSession(session.id);
      setMessage(`Signed out ${deviceName(session.userAgent)}.`);
      await reload();
    } catch {
      setMessage('Could not sign that session out. Please try again.');
    } finally {
      setBusy(null);
    }
  }

  async function endAll() {
    setBusy('all');
    try {
      await signOutEverywhere();
    } catch {
      setMessage('Could not sign out everywhere. Please try again.');
      setBusy(null);
    }
  }

  return (
    <AccountSection title="Where you're signed in">
      {load.status === 'loading' && <p className="account__muted">Loading sessions…</p>}
      {load.status === 'failed' && (
        <p className="account__error" role="alert">
          Could not load your sessions.{' '}
          <button type="button" className="button--link" onClick={() => void reload()}>
            Try again
          </button>
        </p>
      )}
      {load.status === 'ready' && (
        <ul className="account__sessions" aria-label="Sessions">
          {load.sessions.map((session) => {
            const name = deviceName(session.userAgent);
            return (
              <li key={session.id} className="account__session">
                <div className="account__session-text">
                  <span className="account__session-name">
                    {name}
                    {session.current && <span className="account__badge">This device</span>}
                  </span>
                  <span className="account__muted">
                    Signed in {formatRelative(session.createdAt, now)} · active {formatRelative(session.lastUsedAt, now)}
                  </span>
                </div>
                {!session.current && (
                  <button
                    type="button"
                    className="button button--ghost"
                    aria-label={`Sign out ${name}, signed in ${formatRelative(session.createdAt, now)}`}
                    disabled={busy !== null}
                    onClick={() => void endSession(session)}
                  >
                    Sign out
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <p className="account__status" role="status">
        {message}
      </p>
      <button type="button" className="button button--danger" disabled={busy !== null} onClick={() => void endAll()}>
        Sign out everywhere
      </button>
    </AccountSection>
  );
}
