import { describe, expect, it } from 'vitest';
import {
  browserSession,
  chatRow,
  messageWith,
  openConversation,
  openTab,
  quietPeriod,
  screenshot,
  sendMessage,
  tickOf,
  waitConnected,
} from './support/browser.js';

const UNREAD = 60; // more than one page of history (50)

describe('Unread that helps', () => {
  const session = browserSession();

  it('shows unread chats in bold, keeps them unread across a reload, and opens at the first unread under a divider', async () => {
    const { person: alice, context: aliceContext } = await session.registered('Alice');
    const { person: bob, context: bobContext } = await session.registered('Bob');

    const bobTab = await openTab(bobContext, `/chat/${alice.username}`);
    await waitConnected(bobTab.page);
    await sendMessage(bobTab.page, 'Already read, long ago');
    const aliceTab = await openTab(aliceContext, `/chat/${bob.username}`);
    await waitConnected(aliceTab.page);
    await messageWith(aliceTab.page, 'Already read, long ago').waitFor();
    await expect.poll(() => tickOf(bobTab.page, 'Already read, long ago')).toBe('Read');
    await aliceTab.page.goto('/');

    for (let i = 1; i <= UNREAD; i += 1) {
      await sendMessage(bobTab.page, `Unread ${i}`);
      // Within the server's send rate (10 a second after a burst of 30).
      if (i > 25) await quietPeriod(110);
    }
    await expect.poll(() => tickOf(bobTab.page, `Unread ${UNREAD}`), { timeout: 20_000 }).not.toMatch(/Sending|Failed/);

    // Unread survives a reload: the list shows the chat in bold with its count.
    await aliceTab.page.reload();
    await waitConnected(aliceTab.page);
    const row = chatRow(aliceTab.page, bob);
    await row.getByLabel(`${UNREAD} unread`).waitFor();
    expect(await row.evaluate((element) => element.classList.contains('row--unread'))).toBe(true);
    await screenshot(aliceTab.page, 'unread-01-bold-row');

    const chat = await openConversation(aliceTab.page, bob);
    const divider = chat.getByText('New messages');
    await divider.waitFor();
    await messageWith(chat, 'Unread 1').waitFor();
    expect(await divider.isVisible()).toBe(true);
    // The reader starts at the first unread one: it is on screen, the newest is not.
    await expect.poll(() => messageWith(chat, 'Unread 1').evaluate(inViewport)).toBe(true);
    expect(await messageWith(chat, `Unread ${UNREAD}`).evaluate(inViewport)).toBe(false);
    await screenshot(aliceTab.page, 'unread-02-opened-at-first-unread');
    expect(await row.evaluate((element) => element.classList.contains('row--unread'))).toBe(false);
  });
});

function inViewport(element: Element): boolean {
  const scroller = element.closest('[data-testid="message-scroller"]')!;
  const box = element.getBoundingClientRect();
  const view = scroller.getBoundingClientRect();
  return box.bottom > view.top && box.top < view.bottom;
}
