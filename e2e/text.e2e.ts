import { describe, expect, it } from 'vitest';
import { browserSession, messageWith, openChatWith, openTab, screenshot, sendMessage, waitConnected } from './support/browser.js';

describe('Text as people write it', () => {
  const session = browserSession();

  it('right-to-left text, safe links, large emoji, and a draft kept across a reload', async () => {
    const { person: alice, context: aliceContext } = await session.registered('Alice');
    const { person: bob, context: bobContext } = await session.registered('Bob');
    const aliceTab = await openTab(aliceContext);
    await waitConnected(aliceTab.page);
    await openChatWith(aliceTab.page, bob);
    for (const text of ['שלום, מה שלומך?', 'Docs: https://example.com/guide. Not javascript:alert(1)', '🎉']) {
      await sendMessage(aliceTab.page, text);
    }

    const bobTab = await openTab(bobContext, `/chat/${alice.username}`);
    await waitConnected(bobTab.page);
    const chat = bobTab.page.getByRole('region', { name: `Chat with ${alice.displayName}` });
    await messageWith(chat, '🎉').waitFor();
    const hebrew = chat.getByText('שלום, מה שלומך?');
    expect(await hebrew.evaluate((element) => getComputedStyle(element).direction)).toBe('rtl');
    const links = chat.getByRole('link');
    expect(await links.count()).toBe(1);
    expect(await links.getAttribute('href')).toBe('https://example.com/guide');
    expect(await links.getAttribute('target')).toBe('_blank');
    expect(await links.getAttribute('rel')).toBe('noopener noreferrer');
    const emojiSize = await chat.getByText('🎉', { exact: true }).evaluate((element) => parseFloat(getComputedStyle(element).fontSize));
    expect(emojiSize).toBeGreaterThan(30);
    await screenshot(bobTab.page, 'text-01-rtl-links-emoji');

    // A draft survives a reload.
    await bobTab.page.getByLabel('Message', { exact: true }).fill('To be continued');
    await bobTab.page.reload();
    await waitConnected(bobTab.page);
    await expect.poll(() => bobTab.page.getByLabel('Message', { exact: true }).inputValue()).toBe('To be continued');
  });
});
