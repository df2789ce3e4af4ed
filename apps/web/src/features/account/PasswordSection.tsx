import { useState, type FormEvent } from 'react';
import { TextField } from '../../components/TextField';
import { ApiError } from '../../lib/api';
import { AccountSection } from './AccountSection';
import type { AccountApi } from './AccountScreen';

type Fields = Partial<Record<'currentPassword' | 'newPassword', string>>;

/** Changes the password; the server signs every other session out. */
export function PasswordSection({ api, onChanged }: { api: AccountApi; onChanged(): void }) {
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [fields, setFields] = useState<Fields>({});
  const [message, setMessage] = useState('');
  const [failure, setFailure] = useState('');
  const [saving, setSaving] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaving(true);
    setFields({});
    setMessage('');
    setFailure('');
    try {
      await api.changePassword({ currentPassword, newPassword });
      setCurrentPassword('');
      setNewPassword('');
      setMessage('Password changed. Every other session was signed out.');
      onChanged();
    } catch (error) {
      const known = error instanceof ApiError ? (error.fields as Fields) : {};
      setFields(known);
      if (!known.currentPassword && !known.newPassword) {
        setFailure(error instanceof ApiError ? error.message : 'Could not change the password. Please try again.');
      }
    } finally {
      setSaving(false);
    }
  }

  return (
    <AccountSection title="Password">
      <form className="account__form" onSubmit={submit} noValidate>
        <TextField
          label="Current password"
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          required
          value={currentPassword}
          error={fields.currentPassword}
          onChange={(event) => setCurrentPassword(event.target.value)}
        />
        <TextField
          label="New password"
          name="newPassword"
          type="password"
          autoComplete="new-password"
          required
          value={newPassword}
          error={fields.newPassword}
          hint="At least 8 characters; not your username or a common password."
          onChange={(event) => setNewPassword(event.target.value)}
        />
        {failure && (
          <p className="account__error" role="alert">
            {failure}
          </p>
        )}
        <p className="account__status" role="status">
          {message}
        </p>
        <button type="submit" className="button button--primary" disabled={saving}>
          Change password
        </button>
      </form>
    </AccountSection>
  );
}
