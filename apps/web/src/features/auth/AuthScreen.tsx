import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { ApiError } from '../../lib/api';
import { useAuth } from './AuthContext';
import './auth.css';

type Mode = 'signIn' | 'register';

const COPY: Record<Mode, { title: string; submit: string; switchPrompt: string; switchAction: string }> = {
  signIn: {
    title: 'Welcome back',
    submit: 'Sign in',
    switchPrompt: 'New to Parley?',
    switchAction: 'Register instead',
  },
  register: {
    title: 'Create your account',
    submit: 'Create account',
    switchPrompt: 'Already have an account?',
    switchAction: 'Use an existing account',
  },
};

function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return 'Something went wrong. Please try again.';
}

export function AuthScreen() {
  const { login, register } = useAuth();
  const [mode, setMode] = useState<Mode>('signIn');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const usernameRef = useRef<HTMLInputElement>(null);
  const headingId = useId();
  const copy = COPY[mode];

  useEffect(() => {
    usernameRef.current?.focus();
  }, [mode]);

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSubmitting(true);
    setError(null);
    try {
      if (mode === 'register') {
        const trimmedName = displayName.trim();
        await register({ username, password, ...(trimmedName ? { displayName: trimmedName } : {}) });
      } else {
        await login({ username, password });
      }
      // On success this screen unmounts: nothing else to reset.
    } catch (caught) {
      setError(describeError(caught));
      setSubmitting(false);
    }
  }

  function switchMode() {
    setMode((current) => (current === 'signIn' ? 'register' : 'signIn'));
    setError(null);
  }

  return (
    <main className="auth">
      <form className="auth__card" aria-labelledby={headingId} onSubmit={handleSubmit} noValidate>
        <div className="auth__brand" aria-hidden="true">
          Parley
        </div>
        <h1 id={headingId} className="auth__title">
          {copy.title}
        </h1>

        <label className="field">
          <span className="field__label">Username</span>
          <input
            ref={usernameRef}
            className="field__input"
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            required
            value={username}
            onChange={(event) => setUsername(event.target.value)}
          />
        </label>

        {mode === 'register' && (
          <label className="field">
            <span className="field__label">Display name</span>
            <input
              className="field__input"
              name="displayName"
              autoComplete="nickname"
              placeholder="Optional"
              value={displayName}
              onChange={(event) => setDisplayName(event.target.value)}
            />
          </label>
        )}

        <label className="field">
          <span className="field__label">Password</span>
          <input
            className="field__input"
            name="password"
            type="password"
            autoComplete={mode === 'register' ? 'new-password' : 'current-password'}
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </label>

        {error && (
          <p className="auth__error" role="alert">
            {error}
          </p>
        )}

        <button className="button button--primary auth__submit" type="submit" disabled={submitting}>
          {copy.submit}
        </button>

        <p className="auth__switch">
          {copy.switchPrompt}{' '}
          <button type="button" className="button--link" onClick={switchMode} disabled={submitting}>
            {copy.switchAction}
          </button>
        </p>
      </form>
    </main>
  );
}
