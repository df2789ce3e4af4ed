import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { MeUser } from '@parley/protocol';
import { makeUser } from '../../test/fixtures';
import { ShowPresenceToggle } from './ShowPresenceToggle';

const me = (showPresence: boolean): MeUser => ({ ...makeUser({ username: 'me' }), showPresence });

describe('ShowPresenceToggle', () => {
  it('shows the stored setting and saves a change', async () => {
    const api = { me: vi.fn(async () => me(true)), updateMe: vi.fn(async () => me(false)) };
    render(<ShowPresenceToggle api={api} />);
    const toggle = screen.getByRole('switch', { name: 'Show when I’m online' });
    await waitFor(() => expect(toggle).toBeChecked());
    expect(toggle).toHaveAccessibleDescription('When off, nobody sees you online or when you were last seen.');

    await userEvent.click(toggle);
    expect(api.updateMe).toHaveBeenCalledWith({ showPresence: false });
    await waitFor(() => expect(toggle).not.toBeChecked());
    expect(toggle).toBeEnabled();
  });

  it('puts the switch back and says so when saving fails', async () => {
    const api = { me: vi.fn(async () => me(false)), updateMe: vi.fn(async () => Promise.reject(new Error('offline'))) };
    render(<ShowPresenceToggle api={api} />);
    const toggle = screen.getByRole('switch', { name: 'Show when I’m online' });
    await waitFor(() => expect(toggle).toBeEnabled());
    await userEvent.click(toggle);
    expect(await screen.findByRole('alert')).toHaveTextContent('Could not save the setting.');
    expect(toggle).not.toBeChecked();
  });
});
