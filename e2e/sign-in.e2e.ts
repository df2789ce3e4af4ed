import { describe, expect, it } from 'vitest';
import {
  browserSession,
  findPerson,
  openTab,
  registerViaApi,
  registerViaUi,
  screenshot,
  signInViaUi,
  waitConnected,
} from './support/browser.js';

// an authenticated socket whose life follows the session.
describe('Sign-in: sign-up, silent refresh, one socket per tab, sign-out', () => {
  const session = browserSession();

  it('registers through the UI, survives a reload, opens a socket per tab and closes it on sign-out', async () => {
    const { person: alice, context: aliceContext } = await session.person('Alice');
    const { person: bob, context: bobContext } = await session.person('Bob');

    // Signed out, the app opens no socket at all.
    const tab1 = await openTab(aliceContext);
    await tab1.page.getByRole('button', { name: 'Sign in' }).waitFor();
    await screenshot(tab1.page, 'sign-in-01-sign-in-screen');
    expect(tab1.sockets.opened).toBe(0);

    await registerViaUi(tab1.page, alice);
    await waitConnected(tab1.page);
    await tab1.page.getByText(`@${alice.username}`).waitFor();
    await tab1.page.getByText(alice.displayName, { exact: true }).first().waitFor();
    await screenshot(tab1.page, 'sign-in-02-registered-connected');
    await expect.poll(() => tab1.sockets.open).toBe(1);
    expect(tab1.sockets.opened).toBe(1);

    // A reload signs in again from the httpOnly refresh cookie alone, on a new socket.
    const cookies = await aliceContext.cookies();
    const refreshCookie = cookies.find((cookie) => cookie.httpOnly && cookie.path.startsWith('/api/auth'));
    expect(refreshCookie, 'an httpOnly refresh cookie scoped to /api/auth').toBeDefined();
    expect(await tab1.page.evaluate(() => document.cookie)).toBe('');

    await tab1.page.reload();
    await waitConnected(tab1.page);
    await tab1.page.getByText(`@${alice.username}`).waitFor();
    expect(await tab1.page.getByRole('button', { name: 'Sign in' }).count()).toBe(0);
    await expect.poll(() => [tab1.sockets.opened, tab1.sockets.open]).toEqual([2, 1]);
    await screenshot(tab1.page, 'sign-in-03-after-reload');

    // Bob, elsewhere, sees Alice online.
    await registerViaApi(bobContext, bob);
    const bobTab = await openTab(bobContext);
    await waitConnected(bobTab.page);
    const aliceRow = await findPerson(bobTab.page, alice);
    await aliceRow.getByRole('img', { name: 'online' }).waitFor();

    // A second tab of Alice's opens a second socket of its own; the first keeps its socket.
    const tab2 = await openTab(aliceContext);
    await waitConnected(tab2.page);
    await tab2.page.getByText(`@${alice.username}`).waitFor();
    await expect.poll(() => tab2.sockets.open).toBe(1);
    expect(tab1.sockets.open).toBe(1);
    await screenshot(tab2.page, 'sign-in-04-second-tab');

    // Two sockets, one person: Bob still sees one Alice, online.
    await findPerson(bobTab.page, alice);
    expect(await bobTab.page.getByRole('button').filter({ hasText: `@${alice.username}` }).count()).toBe(1);
    await aliceRow.getByRole('img', { name: 'online' }).waitFor();
    await screenshot(bobTab.page, 'sign-in-05-bob-sees-alice-online');

    // (A closed tab's socket goes with it: presence.e2e.ts checks that the server notices.)
    await tab2.page.close();

    // Signing out closes the socket and shows the sign-in screen.
    await tab1.page.getByRole('button', { name: 'Sign out' }).click();
    await tab1.page.getByRole('button', { name: 'Sign in' }).waitFor();
    await expect.poll(() => tab1.sockets.open).toBe(0);
    await screenshot(tab1.page, 'sign-in-06-signed-out');

    // The refresh token was revoked: a reload stays signed out and opens no socket.
    const openedBefore = tab1.sockets.opened;
    await tab1.page.reload();
    await tab1.page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(tab1.sockets.opened).toBe(openedBefore);

    // And Bob sees her go offline.
    await aliceRow.getByRole('img', { name: 'offline' }).waitFor();

    // Signing in again: a wrong password is refused with a message, the right one connects.
    await signInViaUi(tab1.page, alice, 'not the password');
    const refusal = tab1.page.getByRole('alert');
    await refusal.waitFor();
    expect((await refusal.textContent())?.trim()).not.toBe('');
    expect(tab1.sockets.opened).toBe(openedBefore);
    await screenshot(tab1.page, 'sign-in-07-wrong-password');
    await signInViaUi(tab1.page, alice);
    await waitConnected(tab1.page);
    await tab1.page.getByText(`@${alice.username}`).waitFor();
    await expect.poll(() => tab1.sockets.open).toBe(1);
    await aliceRow.getByRole('img', { name: 'online' }).waitFor();
  });
});
