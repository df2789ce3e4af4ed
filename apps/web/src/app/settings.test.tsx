import { StrictMode } from 'react';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from './App';
import { installFakeFetch } from '../test/fakeFetch';
import { makeAuthResponse } from '../test/fixtures';
import { installFakeSocket } from '../test/fakeSocket';

vi.mock('../lib/socket', () => import('../test/fakeSocket').then((m) => m.fakeSocketModule));

beforeEach(() => {
  installFakeSocket();
});

function routes() {
  const signedIn = makeAuthResponse();
  const at = new Date().toISOString();
  return installFakeFetch({
    'POST /api/auth/refresh': () => ({ body: signedIn }),
    'GET /api/conversations': () => ({ body: { conversations: [] } }),
    'GET /api/users': () => ({ body: { users: [] } }),
    'GET /api/sync': () => ({ body: { messages: [], nextSince: at, nextAfter: null, hasMore: false } }),
    'GET /api/auth/sessions': () => ({
      body: { sessions: [{ id: 'a'.repeat(24), createdAt: at, lastUsedAt: at, userAgent: null, current: true }] },
    }),
    'POST /api/auth/logout-all': () => ({ status: 204 }),
    'PATCH /api/users/me': ({ body }) => ({
      body: { user: { ...signedIn.user, ...(body as object), showPresence: true } },
    }),
  });
}

describe('settings in the app', () => {
  it('opens from the header, renames me everywhere, and goes back to the chats', async () => {
    const user = userEvent.setup();
    routes();
    render(
      <StrictMode>
        <App />
      </StrictMode>,
    );
    await user.click(await screen.findByRole('button', { name: 'Settings' }));
    expect(await screen.findByRole('heading', { name: 'Settings', level: 1 })).toHaveFocus();
    expect(await screen.findByText('This device')).toBeInTheDocument();

    const name = screen.getByLabelText('Display name');
    await user.clear(name);
    await user.type(name, 'Countess Ada');
    await user.click(screen.getByRole('button', { name: 'Save display name' }));
    await waitFor(() => expect(screen.getByRole('banner')).toHaveTextContent('Countess Ada'));

    await user.click(screen.getByRole('button', { name: 'Back to chats' }));
    expect(await screen.findByText('Pick a chat or a person to start talking.')).toBeInTheDocument();
  });

  it('"Sign out everywhere" lands on the sign-in screen saying so', async () => {
    const user = userEvent.setup();
    const { calls } = routes();
    render(<App />);
    await user.click(await screen.findByRole('button', { name: 'Settings' }));
    await user.click(await screen.findByRole('button', { name: 'Sign out everywhere' }));
    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeInTheDocument();
    expect(screen.getByText('You signed out everywhere.')).toBeInTheDocument();
    expect(calls.some((call) => call.method === 'POST' && call.url === '/api/auth/logout-all')).toBe(true);
  });
});
