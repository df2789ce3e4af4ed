import { StrictMode } from 'react';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../app/App';
import { installFakeFetch, unauthorized } from '../../test/fakeFetch';
import { makeAuthResponse, makeUser } from '../../test/fixtures';
import { installFakeSocket } from '../../test/fakeSocket';

vi.mock('../../lib/socket', () => import('../../test/fakeSocket').then((m) => m.fakeSocketModule));

const renderApp = () =>
  render(
    <StrictMode>
      <App />
    </StrictMode>,
  );

describe('field errors from details.fields', () => {
  beforeEach(() => installFakeSocket());

  it('marks the password field with the server’s reason, and only that field', async () => {
    const user = userEvent.setup();
    const reason = 'This password is too common; choose one that is harder to guess.';
    installFakeFetch({
      'POST /api/auth/refresh': () => unauthorized,
      'POST /api/auth/register': () => ({
        status: 400,
        body: { error: { code: 'WEAK_PASSWORD', message: reason, details: { fields: { password: reason } } } },
      }),
    });
    renderApp();
    await user.click(await screen.findByRole('button', { name: 'Register instead' }));
    await user.type(screen.getByLabelText('Username'), 'grace');
    await user.type(screen.getByLabelText('Password'), 'password1');
    await user.click(screen.getByRole('button', { name: 'Create account' }));

    const password = screen.getByLabelText('Password');
    await waitFor(() => expect(password).toHaveAttribute('aria-invalid', 'true'));
    expect(password).toHaveAccessibleDescription(expect.stringContaining(reason));
    expect(screen.getByLabelText('Username')).not.toHaveAttribute('aria-invalid');
    expect(screen.getByRole('alert')).toHaveTextContent('Please correct the marked fields.');
  });

  it('shows the rules next to the sign-up fields and a password strength hint that describes the field', async () => {
    const user = userEvent.setup();
    installFakeFetch({ 'POST /api/auth/refresh': () => unauthorized });
    renderApp();
    await user.click(await screen.findByRole('button', { name: 'Register instead' }));
    expect(screen.getByLabelText('Username')).toHaveAccessibleDescription(expect.stringContaining('3-32 characters'));
    expect(screen.getByLabelText('Display name')).toHaveAccessibleDescription(expect.stringContaining('up to 64 characters'));
    await user.type(screen.getByLabelText('Username'), 'grace');
    await user.type(screen.getByLabelText('Password'), 'password1');
    const password = screen.getByLabelText('Password');
    expect(password).toHaveAccessibleDescription(expect.stringContaining('At least 8 characters'));
    await waitFor(() => expect(password).toHaveAccessibleDescription(expect.stringMatching(/Password strength: (Very weak|Weak)/)));
    // Signing in needs none of it.
    await user.click(screen.getByRole('button', { name: 'Use an existing account' }));
    expect(screen.queryByText(/Password strength/)).not.toBeInTheDocument();
    expect(screen.getByLabelText('Username')).not.toHaveAccessibleDescription(expect.stringContaining('3-32'));
  });

  it('says when to try again after too many failed attempts', async () => {
    const user = userEvent.setup();
    installFakeFetch({
      'POST /api/auth/refresh': () => unauthorized,
      'POST /api/auth/login': () => ({ status: 429, body: { error: { code: 'TOO_MANY_ATTEMPTS', message: 'Too many' } } }),
    });
    const realFetch = globalThis.fetch;
    vi.stubGlobal('fetch', async (...args: Parameters<typeof fetch>) => {
      const response = await realFetch(...args);
      if (response.status !== 429) return response;
      return new Response(await response.text(), { status: 429, headers: { 'Retry-After': '900', 'Content-Type': 'application/json' } });
    });
    renderApp();
    await user.type(await screen.findByLabelText('Username'), 'ada');
    await user.type(screen.getByLabelText('Password'), 'not the password');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Too many failed attempts. Try again in 15 minutes.');
  });
});

describe('signing out reaches every tab', () => {
  const me = makeUser({ username: 'ada', displayName: 'Ada Lovelace' });
  const other = makeUser({ username: 'bob' });

  beforeEach(() => installFakeSocket());
  afterEach(() => vi.unstubAllGlobals());

  function storeDataOf(userId: string) {
    localStorage.setItem(`parley:outbox:${userId}`, '{"version":1,"data":[]}');
    localStorage.setItem(`parley:sync:${userId}`, '{"version":1,"data":{}}');
  }

  it('another tab’s sign-out (BroadcastChannel) signs this tab out and forgets this user’s stored data', async () => {
    installFakeFetch({ 'POST /api/auth/refresh': () => ({ body: makeAuthResponse(me) }) });
    renderApp();
    await screen.findByText('Ada Lovelace');
    storeDataOf(me.id);
    storeDataOf(other.id);

    const otherTab = new BroadcastChannel('parley:auth');
    otherTab.postMessage({ userId: me.id });
    otherTab.close();

    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('You signed out in another tab.');
    await waitFor(() => expect(localStorage.getItem(`parley:outbox:${me.id}`)).toBeNull());
    expect(localStorage.getItem(`parley:sync:${me.id}`)).toBeNull();
    expect(localStorage.getItem(`parley:outbox:${other.id}`)).not.toBeNull();
  });

  it('without BroadcastChannel, the storage event carries it', async () => {
    vi.stubGlobal('BroadcastChannel', undefined);
    installFakeFetch({ 'POST /api/auth/refresh': () => ({ body: makeAuthResponse(me) }) });
    renderApp();
    await screen.findByText('Ada Lovelace');
    window.dispatchEvent(
      new StorageEvent('storage', { key: 'parley:signed-out', newValue: JSON.stringify({ userId: me.id, at: Date.now() }) }),
    );
    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeInTheDocument();
  });

  it('signing out here tells the other tabs', async () => {
    const user = userEvent.setup();
    installFakeFetch({
      'POST /api/auth/refresh': () => ({ body: makeAuthResponse(me) }),
      'POST /api/auth/logout': () => ({ status: 204 }),
    });
    const heard: unknown[] = [];
    const otherTab = new BroadcastChannel('parley:auth');
    otherTab.onmessage = (event: MessageEvent) => heard.push(event.data);
    renderApp();
    storeDataOf(me.id);
    await user.click(await screen.findByRole('button', { name: 'Sign out' }));
    await waitFor(() => expect(heard).toEqual([{ userId: me.id }]));
    otherTab.close();
    await waitFor(() => expect(localStorage.getItem(`parley:outbox:${me.id}`)).toBeNull());
    // Its own sign-out needs no explanation.
    expect(screen.queryByText('You signed out in another tab.')).not.toBeInTheDocument();
  });

  it('an API answer of SESSION_REVOKED signs out with a one-line reason', async () => {
    installFakeFetch({
      'POST /api/auth/refresh': () => ({ body: makeAuthResponse(me) }),
      'GET /api/conversations': () => ({ status: 401, body: { error: { code: 'SESSION_REVOKED', message: 'ended' } } }),
      'GET /api/sync': () => ({ status: 401, body: { error: { code: 'SESSION_REVOKED', message: 'ended' } } }),
    });
    renderApp();
    expect(await screen.findByText(/this session was ended from another device or tab/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeInTheDocument();
  });
});
