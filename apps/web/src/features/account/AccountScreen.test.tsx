import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { Session } from '@parley/protocol';
import { ApiError } from '../../lib/api';
import { makeFakeApi } from '../../test/renderWithSession';
import { makeUser } from '../../test/fixtures';
import { AccountScreen } from './AccountScreen';
import { deviceName } from './deviceName';

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';

function session(overrides: Partial<Session>): Session {
  const at = new Date(Date.now() - 3_600_000).toISOString();
  return { id: 'a'.repeat(24), createdAt: at, lastUsedAt: at, userAgent: FIREFOX, current: false, ...overrides };
}

function renderScreen(api = makeFakeApi()) {
  const me = makeUser({ username: 'ada', displayName: 'Ada' });
  const props = { me, api, onUserChanged: vi.fn(), signOutEverywhere: vi.fn(async () => undefined), onClose: vi.fn() };
  render(<AccountScreen {...props} />);
  return props;
}

describe('AccountScreen: sessions', () => {
  it('lists the sessions, marks this device, and signs another one out', async () => {
    const user = userEvent.setup();
    const here = session({ id: '1'.repeat(24), current: true });
    const phone = session({ id: '2'.repeat(24), userAgent: IPHONE });
    const api = makeFakeApi();
    api.sessions.mockResolvedValueOnce([here, phone]).mockResolvedValueOnce([here]);
    renderScreen(api);

    const list = await screen.findByRole('list', { name: 'Sessions' });
    const rows = within(list).getAllByRole('listitem');
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent('Firefox on Linux');
    expect(rows[0]).toHaveTextContent('This device');
    expect(within(rows[0]!).queryByRole('button')).toBeNull();
    expect(rows[1]).toHaveTextContent('Safari on iOS');

    await user.click(within(rows[1]!).getByRole('button', { name: /^Sign out Safari on iOS/ }));
    expect(api.endSession).toHaveBeenCalledWith(phone.id);
    await waitFor(() => expect(within(list).getAllByRole('listitem')).toHaveLength(1));
    expect(screen.getByText('Signed out Safari on iOS.')).toBeInTheDocument();
  });

  it('"Sign out everywhere" hands over to the app, and says so when the server could not do it', async () => {
    const user = userEvent.setup();
    const api = makeFakeApi();
    api.sessions.mockResolvedValue([session({ current: true })]);
    const props = renderScreen(api);
    props.signOutEverywhere.mockRejectedValueOnce(new ApiError(0, 'NETWORK_ERROR', 'offline'));
    await user.click(await screen.findByRole('button', { name: 'Sign out everywhere' }));
    expect(props.signOutEverywhere).toHaveBeenCalledTimes(1);
    expect(await screen.findByText('Could not sign out everywhere. Please try again.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Sign out everywhere' }));
    expect(props.signOutEverywhere).toHaveBeenCalledTimes(2);
  });
});

describe('AccountScreen: password and profile', () => {
  it('shows the server’s field errors on the password fields', async () => {
    const user = userEvent.setup();
    const api = makeFakeApi();
    api.changePassword.mockRejectedValueOnce(
      new ApiError(400, 'WEAK_PASSWORD', 'weak', { newPassword: 'This password is too common; choose one that is harder to guess.' }),
    );
    renderScreen(api);
    await user.type(screen.getByLabelText('Current password'), 'correct horse');
    await user.type(screen.getByLabelText(/^New password/), 'password1');
    await user.click(screen.getByRole('button', { name: 'Change password' }));

    const field = screen.getByLabelText(/^New password/);
    await waitFor(() => expect(field).toHaveAttribute('aria-invalid', 'true'));
    expect(field).toHaveAccessibleDescription(/too common/);
    expect(screen.getByLabelText('Current password')).not.toHaveAttribute('aria-invalid');
  });

  it('changes the password, says the other sessions were signed out, and reloads the list', async () => {
    const user = userEvent.setup();
    const api = makeFakeApi();
    renderScreen(api);
    await waitFor(() => expect(api.sessions).toHaveBeenCalledTimes(1));
    await user.type(screen.getByLabelText('Current password'), 'correct horse');
    await user.type(screen.getByLabelText(/^New password/), 'a much better passphrase');
    await user.click(screen.getByRole('button', { name: 'Change password' }));
    expect(api.changePassword).toHaveBeenCalledWith({ currentPassword: 'correct horse', newPassword: 'a much better passphrase' });
    expect(await screen.findByText('Password changed. Every other session was signed out.')).toBeInTheDocument();
    await waitFor(() => expect(api.sessions).toHaveBeenCalledTimes(2));
  });

  it('saves a new display name and tells the app; a refused one is marked on the field', async () => {
    const user = userEvent.setup();
    const api = makeFakeApi();
    const props = renderScreen(api);
    const field = screen.getByLabelText('Display name');
    await user.clear(field);
    await user.type(field, 'Ada Lovelace');
    await user.click(screen.getByRole('button', { name: 'Save display name' }));
    expect(api.updateMe).toHaveBeenCalledWith({ displayName: 'Ada Lovelace' });
    await waitFor(() => expect(props.onUserChanged).toHaveBeenCalledWith(expect.objectContaining({ displayName: 'Ada Lovelace' })));

    api.updateMe.mockRejectedValueOnce(
      new ApiError(400, 'VALIDATION_ERROR', 'invalid', { displayName: 'Must not contain invisible or text-direction control characters.' }),
    );
    await user.type(field, 'x');
    await user.click(screen.getByRole('button', { name: 'Save display name' }));
    await waitFor(() => expect(field).toHaveAttribute('aria-invalid', 'true'));
    expect(field).toHaveAccessibleDescription(/invisible/);
  });
});

describe('deviceName', () => {
  it('names common browsers and systems', () => {
    expect(deviceName(FIREFOX)).toBe('Firefox on Linux');
    expect(deviceName(IPHONE)).toBe('Safari on iOS');
    expect(deviceName('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36 Edg/126.0')).toBe('Edge on Windows');
    expect(deviceName(null)).toBe('Unknown device');
    expect(deviceName('curl/8.5.0')).toBe('curl/8.5.0');
  });
});
