import { describe, expect, it } from 'vitest';
import { browserSession, openChatWith, openTab, sendMessage, sidebar, waitConnected, messageWith } from './support/browser.js';

describe('An address per chat: /chat/<username>', () => {
  const session = browserSession();

  it('puts the chat in the address; a reload and a shared link reopen it; Back returns to the list', async () => {
    const { context: aliceContext } = await session.registered('Alice');
    const { person: bob } = await session.registered('Bob');

    const { page } = await openTab(aliceContext);
    await waitConnected(page);
    const chat = await openChatWith(page, bob);
    expect(new URL(page.url()).pathname).toBe(`/chat/${bob.username}`);
    await sendMessage(page, 'Hello at an address');
    await messageWith(chat, 'Hello at an address').waitFor();

    // A reload asks the server for /chat/<username>: it answers with the app, which reopens the chat.
    await page.reload();
    await waitConnected(page);
    await messageWith(page.getByRole('region', { name: `Chat with ${bob.displayName}` }), 'Hello at an address').waitFor();

    // The browser's Back leaves the chat for the list.
    await page.goBack();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/');
    await page.getByText('Pick a chat or a person to start talking.').waitFor();

    // A shared link, opened in a new tab of a signed-in browser, opens that chat.
    const shared = await openTab(aliceContext, `/chat/${bob.username}`);
    await shared.page.getByRole('region', { name: `Chat with ${bob.displayName}` }).waitFor();
    await shared.page.close();
  });

  it("on a phone, the chat covers the list and the phone's Back (or Escape) returns to it", async () => {
    const { context: aliceContext } = await session.registered('Alice');
    const { person: bob } = await session.registered('Bob');
    const { page } = await openTab(aliceContext);
    await page.setViewportSize({ width: 390, height: 844 });
    await waitConnected(page);

    await openChatWith(page, bob);
    expect(await sidebar(page).isVisible()).toBe(false);
    await page.goBack();
    await sidebar(page).waitFor();
    expect(await page.getByRole('region', { name: `Chat with ${bob.displayName}` }).count()).toBe(0);

    await openChatWith(page, bob);
    await page.keyboard.press('Escape');
    await sidebar(page).waitFor();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/');
  });
});
