import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeViolations, describeViolations } from './support/axe.js';
import {
  browserSession,
  freshPerson,
  messageWith,
  openChatWith,
  openTab,
  PASSWORD,
  screenshot,
  sendMessage,
  sidebar,
  waitConnected,
} from './support/browser.js';

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const SIZES = { desktop: DESKTOP, phone: PHONE } as const;
type Size = keyof typeof SIZES;

/**
 * The screen as it is now, in light and in dark: a screenshot of each (e2e/screenshots/a11y-*)
 * and every axe violation found, as lines.
 */
async function check(page: Page, name: string, size: Size): Promise<string[]> {
  const problems: string[] = [];
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await screenshot(page, `a11y-${name}-${size}-${scheme}`);
    problems.push(...describeViolations(`${name} (${size}, ${scheme})`, await axeViolations(page)));
  }
  await page.emulateMedia({ colorScheme: 'light' });
  // Nothing sticks out sideways (a phone would scroll the whole page horizontally).
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  if (overflow > 0) problems.push(`${name} (${size}): the page is ${overflow}px wider than the screen`);
  return problems;
}

describe('Accessibility: axe finds nothing on any screen, at both sizes, light and dark', () => {
  const session = browserSession();

  for (const size of ['desktop', 'phone'] as const) {
    it(`every screen on ${size}`, async () => {
      const problems: string[] = [];
      const { context } = await session.person('Visitor');
      const { page } = await openTab(context);
      await page.setViewportSize(SIZES[size]);

      await page.getByRole('button', { name: 'Sign in' }).waitFor();
      problems.push(...(await check(page, 'sign-in', size)));

      // Sign-up with mistakes: a username that is too short and a password that is too weak.
      await page.getByRole('button', { name: 'Register instead' }).click();
      await page.getByLabel('Username').fill('x');
      await page.getByLabel('Password').fill('short');
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.getByRole('alert').first().waitFor();
      problems.push(...(await check(page, 'sign-up-errors', size)));

      // A new account: the empty workspace, the cursor in the search box.
      const newcomer = freshPerson('Newcomer');
      await page.getByLabel('Username').fill(newcomer.username);
      await page.getByLabel('Display name').fill(newcomer.displayName);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Create account' }).click();
      await waitConnected(page);
      await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('id'))).toBe('people-search');
      problems.push(...(await check(page, 'empty-workspace', size)));

      // A chat with history both ways.
      const { person: friend, context: friendContext } = await session.registered('Friend');
      const chat = await openChatWith(page, friend);
      await sendMessage(page, 'Hello there, how are you?');
      await messageWith(chat, 'Hello there, how are you?').waitFor();
      const friendTab = await openTab(friendContext, `/chat/${newcomer.username}`);
      await waitConnected(friendTab.page);
      await sendMessage(friendTab.page, 'Fine, thanks! And you?');
      await messageWith(chat, 'Fine, thanks! And you?').waitFor();
      problems.push(...(await check(page, 'chat', size)));

      // Search in the chat, with highlighted results.
      await chat.getByRole('button', { name: 'Search in this chat' }).click();
      await page.getByLabel('Search messages').fill('thanks');
      await page.getByRole('list', { name: 'Search results' }).locator('mark').first().waitFor();
      problems.push(...(await check(page, 'chat-search', size)));
      await page.getByLabel('Search messages').press('Escape');

      // Offline, with a message waiting.
      await context.setOffline(true);
      await page.getByText('Messages you write now will be sent when you are back online.').waitFor();
      await sendMessage(page, 'Written in a tunnel');
      await page.getByText('1 message will be sent when you are back online.').waitFor();
      problems.push(...(await check(page, 'offline', size)));
      await context.setOffline(false);
      await waitConnected(page, 30_000);

      // The list with a conversation in it (on a phone, the list is its own screen).
      await page.goto('/');
      await waitConnected(page);
      await sidebar(page).getByRole('region', { name: 'Chats' }).getByRole('button').first().waitFor();
      problems.push(...(await check(page, 'chat-list', size)));

      if (size === 'phone') {
        // The narrowest phones: "Sign out" stays on one line and nothing overflows.
        await page.setViewportSize({ width: 320, height: 640 });
        problems.push(...(await check(page, 'chat-list-320', size)));
        const signOut = await page.getByRole('button', { name: 'Sign out' }).boundingBox();
        if (!signOut || signOut.height > 44) problems.push(`Sign out wraps at 320 px (height ${signOut?.height})`);
      }

      await friendTab.page.close();
      expect(problems, problems.join('\n')).toEqual([]);
    });
  }

  it('names the sender in the live region, even for a first message from someone new', async () => {
    const { person: alice, context: aliceContext } = await session.registered('Alice');
    const { person: stranger, context: strangerContext } = await session.registered('Stranger');
    const { page } = await openTab(aliceContext);
    await waitConnected(page);

    const strangerTab = await openTab(strangerContext, `/chat/${alice.username}`);
    await waitConnected(strangerTab.page);
    await sendMessage(strangerTab.page, 'Hi, we have not met');

    const announcer = page.getByTestId('chat-announcer');
    await expect.poll(() => announcer.textContent()).toBe(`New message from ${stranger.displayName}: Hi, we have not met`);
    await strangerTab.page.close();
  });
});
