import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useLocation } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { alice, fromAlice, me } from '../test/chatHarness';
import { makeUser } from '../test/fixtures';
import { installFakeSocket, type FakeSocket } from '../test/fakeSocket';
import { makeFakeApi, renderWithSession } from '../test/renderWithSession';
import { Workspace } from './SignedInApp';

vi.mock('../lib/socket', () => import('../test/fakeSocket').then((m) => m.fakeSocketModule));

const carol = { ...makeUser({ username: 'carol', displayName: 'Carol Danvers' }), online: false, lastSeen: null };

function Address() {
  return <output data-testid="address">{useLocation().pathname}</output>;
}

let socket: FakeSocket;
beforeEach(() => {
  socket = installFakeSocket();
});
afterEach(() => {
  vi.unstubAllGlobals();
});

function renderAt(path: string, failFirstLookup = false) {
  const api = makeFakeApi({
    conversations: vi.fn(async () => ({ conversations: [{ user: alice, lastMessage: fromAlice('Hi!'), unreadCount: 0 }], nextCursor: null })),
    messages: vi.fn(async () => ({ messages: [fromAlice('Hi!')], nextCursor: null })),
    searchUsers: vi.fn(async (q: string) => [carol].filter((user) => user.username.startsWith(q))),
  });
  if (failFirstLookup) api.searchUsers.mockRejectedValueOnce(new Error('offline'));
  const view = renderWithSession(
    <>
      <Workspace />
      <Address />
    </>,
    { api, me, path },
  );
  act(() => socket.acceptConnection());
  return view;
}

const address = () => screen.getByTestId('address').textContent;

describe('an address per chat', () => {
  it('opens the chat named in the address (a reload or a shared link)', async () => {
    renderAt('/chat/alice');
    expect(await screen.findByRole('region', { name: 'Chat with Alice Liddell' })).toBeInTheDocument();
  });

  it('looks up a person this session does not know yet', async () => {
    const { api } = renderAt('/chat/carol');
    expect(await screen.findByRole('region', { name: 'Chat with Carol Danvers' })).toBeInTheDocument();
    expect(api.searchUsers).toHaveBeenCalledWith('carol');
  });

  it('says so when nobody has that username', async () => {
    renderAt('/chat/nobody');
    expect(await screen.findByText(/Nobody here is called @nobody/)).toBeInTheDocument();
  });

  it('offers to try again when the person cannot be looked up', async () => {
    const user = userEvent.setup();
    renderAt('/chat/carol', true);
    expect(await screen.findByText(/Could not open the chat with @carol/)).toBeInTheDocument();
    await user.click(await screen.findByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('region', { name: 'Chat with Carol Danvers' })).toBeInTheDocument();
  });

  it('puts the chat in the address when opened, empties the search box, and Back returns to the list', async () => {
    const user = userEvent.setup();
    renderAt('/');
    const search = screen.getByLabelText('Search people');
    // Signed in with nothing open: the cursor waits in the search box.
    expect(search).toHaveFocus();
    await user.type(search, 'car');
    await user.click(await screen.findByRole('button', { name: /Carol Danvers/ }));
    await screen.findByRole('region', { name: 'Chat with Carol Danvers' });
    expect(address()).toBe('/chat/carol');
    expect(search).toHaveValue('');

    await user.click(screen.getByRole('button', { name: 'Back to chats' }));
    await waitFor(() => expect(address()).toBe('/'));
    expect(screen.queryByRole('region', { name: /Chat with/ })).not.toBeInTheDocument();
  });

  it('closes the open chat with Escape on a phone-sized screen', async () => {
    vi.stubGlobal('matchMedia', (query: string) => ({ matches: query.includes('max-width'), addEventListener() {}, removeEventListener() {} }));
    const user = userEvent.setup();
    renderAt('/chat/alice');
    await screen.findByRole('region', { name: 'Chat with Alice Liddell' });
    await user.keyboard('{Escape}');
    await waitFor(() => expect(address()).toBe('/'));
  });

  it('keeps the chat open on Escape on a wide screen', async () => {
    vi.stubGlobal('matchMedia', () => ({ matches: false, addEventListener() {}, removeEventListener() {} }));
    const user = userEvent.setup();
    renderAt('/chat/alice');
    await screen.findByRole('region', { name: 'Chat with Alice Liddell' });
    await user.keyboard('{Escape}');
    expect(address()).toBe('/chat/alice');
  });
});
