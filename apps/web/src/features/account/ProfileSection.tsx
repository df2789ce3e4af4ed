import { useState, type FormEvent } from 'react';
import type { User } from '@parley/protocol';
import { TextField } from '../../components/TextField';
import { ApiError } from '../../lib/api';
import { AccountSection } from './AccountSection';
import type { AccountApi } from './AccountScreen';

/** The display name others see. */
export function ProfileSection({ me, api, onUserChanged }: { me: User; api: AccountApi; onUserChanged(user: User): void }) {
  const [displayName, setDisplayName] = useState(me.displayName);
  const [error, setError] = useState<string | undefined>();
  const [message, setMessage] = useState('');
  const [saving, setSaving] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaving(true);
    setError(undefined);
    setMessage('');
    try {
      const updated = await api.updateMe({ displayName });
      setDisplayName(updated.displayName);
      onUserChanged({ id: updated.id, username: updated.username, displayName: updated.displayName, createdAt: updated.createdAt });
      setMessage('Display name saved.');
    } catch (caught) {
      setError(caught instanceof ApiError ? (caught.fields.displayName ?? caught.message) : 'Could not save. Please try again.');
    } finally {
      setSaving(false);
    }
  }

  return (
    <AccountSection title="Profile">
      <form className="account__form" onSubmit={submit} noValidate>
        <TextField
          label="Display name"
          name="displayName"
          autoComplete="nickname"
          maxLength={64}
          required
          value={displayName}
          error={error}
          onChange={(event) => setDisplayName(event.target.value)}
        />
        <p className="account__status" role="status">
          {message}
        </p>
        <button type="submit" className="button button--primary" disabled={saving || displayName.trim() === me.displayName}>
          Save display name
        </button>
      </form>
    </AccountSection>
  );
}
