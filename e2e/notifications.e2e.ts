import { describe, expect, it } from 'vitest';
import { browserSession, openChatWith, openTab, screenshot, sendMessage, waitConnected } from './support/browser.js';

/** A stand-in for the browser's Notification (headless Chromium shows none): it records each one. */
function recordNotifications() {
  const shown: { title: string; body: string; tag: string; click(): void }[] = [];
  (window as unknown as { shownNotifications: typeof shown }).shownNotifications = shown;
  class RecordingNotification {
    static permission = 'granted';
    static requestPermission = async () => 'granted';
    onclick: (() => void) | null = null;
    constructor(title: string, options: { body: string; tag: string }) {
      shown.push({ title, body: options.body, tag: options.tag, click: () => this.onclick?.() });
    }
    close() {}
  }
  (window as unknown as { Notification: unknown }).Notification = RecordingNotification;
}

describe('Notifications when you are not looking', () => {
  const session = browserSession();

  it('a message for another chat: a notification per chat that opens it; on a phone a toast', async () => {
    const { person: alice, context: aliceContext } = await session.registered('Alice');
    const { person: bob, context: bobContext } = await session.registered('Bob');
    const { person: carol } = await session.registered('Carol');
    await aliceContext.addInitScript(recordNotifications);

    const { page } = await openTab(aliceContext);
    await waitConnected(page);
    await openChatWith(page, carol);

    const bobTab = await openTab(bobContext, `/chat/${alice.username}`);
    await waitConnected(bobTab.page);
    await sendMessage(bobTab.page, 'Are you there?');

    const shown = () => page.evaluate(() => (window as any).shownNotifications.map((n: any) => [n.title, n.body, n.tag]));
    await expect.poll(shown).toEqual([[bob.displayName, 'Are you there?', expect.stringMatching(/^parley-chat-/)]]);
    await page.evaluate(() => (window as any).shownNotifications[0].click());
    await page.getByRole('region', { name: `Chat with ${bob.displayName}` }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/chat/${bob.username}`);

    // On a phone, with the app in front, a toast instead.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`/chat/${carol.username}`);
    await waitConnected(page);
    await page.getByRole('region', { name: `Chat with ${carol.displayName}` }).waitFor();
    await sendMessage(bobTab.page, 'Toast me');
    const toast = page.getByRole('group', { name: 'New message in another chat' });
    await toast.getByText('Toast me').waitFor();
    await screenshot(page, 'notifications-01-phone-toast');
    await toast.getByRole('button', { name: new RegExp(bob.displayName) }).click();
    await page.getByRole('region', { name: `Chat with ${bob.displayName}` }).waitFor();
  });
});
