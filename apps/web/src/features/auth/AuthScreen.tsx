import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { ApiError } from '../../lib/api';
import { TextField } from '../../components/TextField';
import { useAuth } from './AuthContext';
import { PasswordStrength } from './PasswordStrength';
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

type FieldName = 'username' | 'displayName' | 'password';

interface Problem {
  /** One line for the whole form, or null when the field messages say it all. */
  summary: string | null;
  fields: Partial<Record<FieldName, string>>;
}

function describeError(error: unknown): Problem {
  if (!(error instanceof ApiError)) return { summary: 'Something went wrong. Please try again.', fields: {} };
  const fields = error.fields as Partial<Record<FieldName, string>>;
  if (error.code === 'TOO_MANY_ATTEMPTS' && error.retryAfterSeconds) {
    const minutes = Math.ceil(error.retryAfterSeconds / 60);
    return { summary: `Too many failed attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`, fields };
  }
  const known = (['username', 'displayName', 'password'] as const).some((name) => fields[name]);
  return { summary: known ? null : error.message, fields };
}

export function AuthScreen() {
  const { state, login, register } = useAuth();
  const [mode, setMode] = useState<Mode>('signIn');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const usernameRef = useRef<HTMLInputElement>(null);
  const headingId = useId();
  const strengthId = useId();
  const copy = COPY[mode];
  const signedOutReason = state.status === 'signedOut' ? state.reason : undefined;

  useEffect(() => {
    usernameRef.current?.focus();
  }, [mode]);

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSubmitting(true);
    setProblem(null);
    try {
      if (mode === 'register') {
        const trimmedName = displayName.trim();
        await register({ username, password, ...(trimmedName ? { displayName: trimmedName } : {}) });
      } else {
        await login({ username, password });
      }
      // On success this screen unmounts: nothing else to reset.
    } catch (caught) {
      setProblem(describeError(caught));
      setSubmitting(false);
    }
  }

  function switchMode() {
    setMode((current) => (current === 'signIn' ? 'register' : 'signIn'));
    setProblem(null);
  }

  const fieldError = (name: FieldName) => problem?.fields[name];

  return (
    <main className="auth">
      <form className="auth__card" aria-labelledby={headingId} onSubmit={handleSubmit} noValidate>
        <div className="auth__brand" aria-hidden="true">
          Parley
        </div>
        <h1 id={headingId} className="auth__title">
          {copy.title}
        </h1>

        {signedOutReason && !problem && (
          <p className="auth__notice" role="status">
            {signedOutReason}
          </p>
        )}

        <TextField
          ref={usernameRef}
          label="Username"
          name="username"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          required
          value={username}
          error={fieldError('username')}
          {...(mode === 'register' ? { hint: '3-32 characters: letters a-z, digits and _.' } : {})}
          onChange={(event) => setUsername(event.target.value)}
        />

        {mode === 'register' && (
          <TextField
            label="Display name"
            name="displayName"
            autoComplete="nickname"
            placeholder="Optional"
            value={displayName}
            error={fieldError('displayName')}
            hint="How others see you, up to 64 characters. Optional."
            maxLength={64}
            onChange={(event) => setDisplayName(event.target.value)}
          />
        )}

        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete={mode === 'register' ? 'new-password' : 'current-password'}
          required
          value={password}
          error={fieldError('password')}
          {...(mode === 'register' ? { hint: 'At least 8 characters; not your username or a common password.', describedBy: strengthId } : {})}
          onChange={(event) => setPassword(event.target.value)}
        />
        {mode === 'register' && <PasswordStrength id={strengthId} password={password} userInputs={[username, displayName]} />}

        {problem?.summary && (
          <p className="auth__error" role="alert">
            {problem.summary}
          </p>
        )}
        {problem && !problem.summary && (
          <p className="visually-hidden" role="alert">
            Please correct the marked fields.
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
