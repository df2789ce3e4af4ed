import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { User } from '@parley/protocol';
import type { ParleyApi } from '../../lib/api';
import { PasswordSection } from './PasswordSection';
import { ProfileSection } from './ProfileSection';
import { SessionsSection } from './SessionsSection';
import './account.css';

/** The part of the API this screen uses. */
export type AccountApi = Pick<ParleyApi, 'sessions' | 'endSession' | 'changePassword' | 'updateMe'>;

interface AccountScreenProps {
  me: User;
  api: AccountApi;
  /** The display name changed: the app shows the new one everywhere. */
  onUserChanged(user: User): void;
  /** Ends every session, this one included, and signs out here and in the other tabs. */
  signOutEverywhere(): Promise<void>;
  onClose(): void;
  /** More sections that app/ composes in from other features (privacy, from presence). */
  children?: ReactNode;
}

/** Settings: profile, password and sessions. app/ hands it the user, the API and what to do. */
export function AccountScreen({ me, api, onUserChanged, signOutEverywhere, onClose, children }: AccountScreenProps) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  // A password change ends the other sessions: the list is reloaded.
  const [sessionsVersion, setSessionsVersion] = useState(0);

  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  return (
    <main className="account" aria-labelledby="account-title">
      <div className="account__top">
        <h1 id="account-title" className="account__title" ref={headingRef} tabIndex={-1}>
          Settings
        </h1>
        <button type="button" className="button button--ghost" onClick={onClose}>
          Back to chats
        </button>
      </div>
      <ProfileSection me={me} api={api} onUserChanged={onUserChanged} />
      {children}
      <PasswordSection api={api} onChanged={() => setSessionsVersion((version) => version + 1)} />
      <SessionsSection api={api} version={sessionsVersion} signOutEverywhere={signOutEverywhere} />
    </main>
  );
}
