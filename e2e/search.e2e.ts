import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { browserSession, messageWith, openTab, registerViaApi, screenshot, sendMessage, sidebar, waitConnected } from './support/browser.js';

describe('Search that finds', () => {
  const session = browserSession();

  it('finds a person by any word of their name, clears the box on opening, and finds a message in the chat', async () => {
    const { context: aliceContext } = await session.registered('Alice');
    const { context: bobContext } = await session.person('Bob');
    const surname = `Okafor${randomBytes(3).toString('hex')}`;
    const bob = { username: `bob_${randomBytes(6).toString('hex')}`, displayName: `Bób ${surname}` };
    await registerViaApi(bobContext, bob);

    const { page } = await openTab(aliceContext);
    await waitConnected(page);
    const search = page.getByLabel('Search people');
    // A prefix of the second word of the name finds them.
    await search.fill(surname.slice(0, 8).toLowerCase());
    const people = sidebar(page).getByRole('region', { name: 'People' });
    await people.getByRole('button').filter({ hasText: bob.displayName }).waitFor();
    // Any case, no accents: "bob okaf…" finds "Bób Okafor…".
    await search.fill(`BOB ${surname.slice(0, 4)}`);
    const row = people.getByRole('button').filter({ hasText: bob.displayName });
    await row.waitFor();
    await row.click();
    const chat = page.getByRole('region', { name: `Chat with ${bob.displayName}` });
    await chat.waitFor();
    expect(await search.inputValue()).toBe('');

    for (const text of ['The plan for Tuesday', 'Something else', 'Bring the PLANS please']) await sendMessage(page, text);
    await messageWith(chat, 'Bring the PLANS please').waitFor();

    await chat.getByRole('button', { name: 'Search in this chat' }).click();
    await page.getByLabel('Search messages').fill('plan');
    const results = page.getByRole('list', { name: 'Search results' });
    await expect.poll(() => results.getByRole('button').count()).toBe(2);
    expect(await results.locator('mark').allTextContents()).toEqual(['PLAN', 'plan']);
    await screenshot(page, 'search-01-results-highlighted');
    await results.getByRole('button', { name: /The plan for Tuesday/ }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent ?? '')).toContain('The plan for Tuesday');
  });
});
