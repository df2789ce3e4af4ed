import { describe, expect, it } from 'vitest';
import {
  browserSession,
  PRESENCE_GRACE_MS,
  findPerson,
  openTab,
  quietPeriod,
  screenshot,
  waitConnected,
} from './support/browser.js';

// Users (not sockets) go online and offline, once each, told to those who watch them: here Ben
// watches Ana because her row (and then her chat) is on his screen, a presence subscription.
describe('Presence: online and offline, across tabs and reloads', () => {
  const session = browserSession();

  it('shows a person online once for two tabs, keeps them online through a closed tab and a reload, offline after the last', async () => {
    const { person: ana, context: anaContext, id: anaId } = await session.registered('Ana');
    const { person: ben, context: benContext, id: benId } = await session.registered('Ben');
    const fromAna = (payload: { userId?: string }) => payload.userId === anaId;

    // Ben is online; Ana has never been.
    const benTab = await openTab(benContext);
    await waitConnected(benTab.page);
    const anaRow = await findPerson(benTab.page, ana);
    await anaRow.getByRole('img', { name: 'offline' }).waitFor();
    await anaRow.getByText(/· Offline$/).waitFor();
    await screenshot(benTab.page, 'presence-01-ben-sees-ana-never-online');

    // Ana opens the app: Ben sees her come online live, and she sees Ben online from the answer to
    // her own subscription (they have never talked, so her snapshot lists only herself).
    const anaTab1 = await openTab(anaContext);
    await waitConnected(anaTab1.page);
    await anaRow.getByRole('img', { name: 'online' }).waitFor();
    await anaRow.getByText(/· Online$/).waitFor();
    const benRow = await findPerson(anaTab1.page, ben);
    await benRow.getByRole('img', { name: 'online' }).waitFor();
    await screenshot(benTab.page, 'presence-02-ben-sees-ana-online');
    await screenshot(anaTab1.page, 'presence-03-ana-sees-ben-online');
    const anaSnapshot = anaTab1.sockets.received('online_users');
    expect(anaSnapshot).toHaveLength(1);
    expect((anaSnapshot[0] as { userIds: string[] }).userIds).toEqual([anaId]);
    const watches = (tab: typeof benTab, userId: string) =>
      tab.sockets.sent('presence_subscribe', (payload: { userIds: string[] }) => payload.userIds.includes(userId));
    expect(watches(benTab, anaId).length).toBeGreaterThan(0);
    expect(watches(anaTab1, benId).length).toBeGreaterThan(0);
    // Nothing about Ana's own presence is announced to Ana, and no socket id is on the wire.
    expect(anaTab1.sockets.received('user_online', fromAna)).toHaveLength(0);
    expect(JSON.stringify(anaTab1.sockets.wire)).not.toMatch(/socketId|"sid"/);

    // A second tab: a second socket, but Ben hears "online" only once.
    const anaTab2 = await openTab(anaContext);
    await waitConnected(anaTab2.page);
    await anaTab2.page.getByText(`@${ana.username}`).waitFor();
    await quietPeriod(500);
    expect(benTab.sockets.received('user_online', fromAna)).toHaveLength(1);

    // Closing one of two tabs is not leaving: still online well past the grace period.
    await anaTab1.page.close();
    await quietPeriod(PRESENCE_GRACE_MS + 1000);
    expect(await anaRow.getByRole('img', { name: 'online' }).isVisible()).toBe(true);
    expect(benTab.sockets.received('user_offline', fromAna)).toHaveLength(0);
    await screenshot(benTab.page, 'presence-04-ana-closed-one-tab-still-online');

    // A reload of her last tab is not leaving either.
    await anaTab2.page.reload();
    await waitConnected(anaTab2.page);
    await quietPeriod(PRESENCE_GRACE_MS + 1000);
    expect(await anaRow.getByRole('img', { name: 'online' }).isVisible()).toBe(true);
    expect(benTab.sockets.received('user_offline', fromAna)).toHaveLength(0);
    expect(benTab.sockets.received('user_online', fromAna)).toHaveLength(1);

    // Closing the last tab: offline after the grace period, with a last-seen time, announced once.
    const closedAt = Date.now();
    await anaTab2.page.close();
    await anaRow.getByRole('img', { name: 'offline' }).waitFor({ timeout: PRESENCE_GRACE_MS + 10_000 });
    expect(Date.now() - closedAt).toBeGreaterThanOrEqual(PRESENCE_GRACE_MS - 200);
    await anaRow.getByText(/· last seen just now$/).waitFor();
    await screenshot(benTab.page, 'presence-05-ben-sees-ana-offline-last-seen');
    await quietPeriod(500);
    const offline = benTab.sockets.received('user_offline', fromAna) as { lastSeen: string }[];
    expect(offline).toHaveLength(1);
    expect(Math.abs(Date.parse(offline[0]!.lastSeen) - closedAt)).toBeLessThan(5_000);

    // The open chat's header says the same.
    await anaRow.click();
    const chat = benTab.page.getByRole('region', { name: `Chat with ${ana.displayName}` });
    await chat.getByText('last seen just now', { exact: true }).waitFor();
    await screenshot(benTab.page, 'presence-06-chat-header-last-seen');

    // After a reload, with no event about Ana, the header still says when she was last seen.
    await benTab.page.reload();
    await waitConnected(benTab.page);
    await (await findPerson(benTab.page, ana)).click();
    await chat.getByText('last seen just now', { exact: true }).waitFor();
    expect(await chat.getByText('Offline', { exact: true }).count()).toBe(0);
    await screenshot(benTab.page, 'presence-07-chat-header-last-seen-after-reload');

    // She comes back: online again, live (the reloaded tab subscribed again).
    const anaTab3 = await openTab(anaContext);
    await waitConnected(anaTab3.page);
    await chat.getByText('Online', { exact: true }).waitFor();
    await chat.getByRole('img', { name: 'online' }).waitFor();
    expect(benTab.sockets.received('user_online', fromAna)).toHaveLength(2);
  });

  it('"Show when I\'m online" off in the settings: watchers see her offline with no last seen, and online again when it is back on', async () => {
    const { person: ana, context: anaContext, id: anaId } = await session.registered('Ana');
    const { context: benContext } = await session.registered('Ben');
    const aboutAna = (payload: { userId?: string }) => payload.userId === anaId;

    const anaTab = await openTab(anaContext);
    await waitConnected(anaTab.page);
    const benTab = await openTab(benContext);
    await waitConnected(benTab.page);
    const anaRow = await findPerson(benTab.page, ana);
    await anaRow.getByText(/· Online$/).waitFor();

    await anaTab.page.getByRole('button', { name: 'Settings' }).click();
    const toggle = anaTab.page.getByRole('switch', { name: 'Show when I’m online' });
    await expect.poll(() => toggle.isChecked()).toBe(true);
    await toggle.uncheck();
    await expect.poll(() => toggle.isEnabled()).toBe(true);
    await anaRow.getByText(/· (Offline|last seen just now)$/).waitFor();
    await screenshot(benTab.page, 'presence-08-ana-hides-her-presence');

    // A reload of Ben's tab: the server says offline with no last seen, everywhere.
    await benTab.page.reload();
    await waitConnected(benTab.page);
    const anaRowAgain = await findPerson(benTab.page, ana);
    await anaRowAgain.getByText(/· Offline$/).waitFor();
    await anaRowAgain.getByRole('img', { name: 'offline' }).waitFor();
    // Her row is watched again once the reloaded tab has subscribed (after a short debounce).
    await expect
      .poll(() => benTab.sockets.sent('presence_subscribe', (payload: { userIds: string[] }) => payload.userIds.includes(anaId)).length)
      .toBeGreaterThan(0);
    await quietPeriod(500);
    const onlineBefore = benTab.sockets.received('user_online', aboutAna).length;

    await toggle.check();
    await anaRowAgain.getByText(/· Online$/).waitFor();
    await expect.poll(() => benTab.sockets.received('user_online', aboutAna).length).toBe(onlineBefore + 1);
  });
});
