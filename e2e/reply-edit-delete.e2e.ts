import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  browserSession,
  countMessages,
  openChatWith,
  openTab,
  quietPeriod,
  screenshot,
  sendMessage,
  threadTexts,
  waitConnected,
} from './support/browser.js';

/** The row of the message whose own text (not a quote of it) is exactly `text`. */
function rowWith(chat: Locator, text: string): Locator {
  return chat
    .getByRole('list', { name: 'Messages' })
    .getByRole('listitem')
    .filter({ has: chat.page().locator('p.bubble__content', { hasText: new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) });
}

/** Opens a message's menu the way a mouse user does: hover, then "More actions". */
async function openMenu(chat: Locator, text: string): Promise<Locator> {
  const row = rowWith(chat, text);
  await row.hover();
  await row.getByRole('button', { name: 'More actions' }).click();
  const menu = row.getByRole('menu', { name: 'Message actions' });
  await menu.waitFor();
  return menu;
}

async function looks(page: Page, name: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await screenshot(page, `${name}-${scheme}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

// Reply to a message, fix a typo, take a message back: for both people, also across time offline.
describe('Reply, edit, delete: messages you can act on', () => {
  const session = browserSession();

  it('replies with a quote, edits while the other person is offline, deletes from offline; both see the same', async () => {
    const { person: kim, context: kimContext } = await session.registered('Kim');
    const { person: lou, context: louContext } = await session.registered('Lou');
    const kimTab = await openTab(kimContext);
    const louTab = await openTab(louContext);
    await waitConnected(kimTab.page);
    await waitConnected(louTab.page);
    const kimChat = await openChatWith(kimTab.page, lou);
    const louChat = await openChatWith(louTab.page, kim);

    const question = `Pizza tonight at 7? (${Date.now()})`;
    const regret = 'I might bring my accordion';
    await sendMessage(kimTab.page, question);
    await sendMessage(kimTab.page, regret);
    await expect.poll(() => countMessages(louChat, regret)).toBe(1);

    // Lou replies to the question: the quote shows above the composer, then in both bubbles.
    const louMenu = await openMenu(louChat, question);
    expect(await louMenu.getByRole('menuitem').allTextContents()).toEqual(['Reply', 'Copy text']);
    await looks(louTab.page, 'actions-01-menu-desktop');
    await louMenu.getByRole('menuitem', { name: 'Reply' }).click();
    await louTab.page.getByRole('group', { name: `Replying to ${kim.displayName}` }).waitFor();
    await looks(louTab.page, 'actions-02-replying-desktop');
    await sendMessage(louTab.page, 'Yes! Where?');
    const quoteInKimsView = rowWith(kimChat, 'Yes! Where?').getByRole('button', { name: new RegExp(`Reply to You: Pizza tonight at 7`) });
    await quoteInKimsView.waitFor();
    await rowWith(louChat, 'Yes! Where?').getByRole('button', { name: new RegExp(`Reply to ${kim.displayName}: Pizza tonight at 7`) }).waitFor();

    // Lou goes offline; Kim fixes the time inline (Enter saves).
    await louContext.setOffline(true);
    await louTab.page.getByRole('status').filter({ hasText: 'Offline' }).waitFor();
    const kimMenu = await openMenu(kimChat, question);
    expect(await kimMenu.getByRole('menuitem').allTextContents()).toEqual(['Reply', 'Edit', 'Copy text', 'Delete']);
    await kimMenu.getByRole('menuitem', { name: 'Edit' }).click();
    const editor = kimChat.getByRole('textbox', { name: 'Edit message' });
    const fixed = question.replace('at 7?', 'at 8?');
    await editor.fill(fixed);
    await looks(kimTab.page, 'actions-03-inline-edit-desktop');
    await editor.press('Enter');
    await rowWith(kimChat, fixed).getByText('edited', { exact: true }).waitFor();
    await rowWith(kimChat, 'Yes! Where?').getByRole('button', { name: /Pizza tonight at 8/ }).waitFor();
    // Offline: Lou still sees the old text.
    await quietPeriod(1000);
    expect(await rowWith(louChat, question).count()).toBe(1);

    // Back online: the edit arrives through catch-up, once, and the quote follows it.
    await louContext.setOffline(false);
    await waitConnected(louTab.page, 30_000);
    await rowWith(louChat, fixed).getByText('edited', { exact: true }).waitFor({ timeout: 20_000 });
    await rowWith(louChat, 'Yes! Where?').getByRole('button', { name: /Pizza tonight at 8/ }).waitFor();
    expect(await rowWith(louChat, question).count()).toBe(0);
    expect(await louChat.getByText(/at 7\?/).count()).toBe(0);

    // Kim deletes the other message while offline: it waits in the outbox, then goes for both.
    await kimContext.setOffline(true);
    await kimTab.page.getByRole('status').filter({ hasText: 'Offline' }).waitFor();
    await (await openMenu(kimChat, regret)).getByRole('menuitem', { name: 'Delete' }).click();
    const dialog = kimTab.page.getByRole('alertdialog', { name: 'Delete this message?' });
    await dialog.waitFor();
    await looks(kimTab.page, 'actions-04-delete-confirm-desktop');
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await kimChat.getByText('This message was deleted').waitFor();
    await quietPeriod(800);
    expect(await countMessages(louChat, regret)).toBe(1);
    await kimContext.setOffline(false);
    await waitConnected(kimTab.page, 30_000);
    await louChat.getByText('This message was deleted').waitFor({ timeout: 20_000 });
    expect(await countMessages(louChat, regret)).toBe(0);

    await quietPeriod(500);
    const expected = [fixed, 'This message was deleted', 'Yes! Where?'];
    expect(await threadTexts(kimChat)).toEqual(expected);
    expect(await threadTexts(louChat)).toEqual(expected);
    // Each change reached Lou once: one live delete; the edit came by catch-up while away.
    const updates = louTab.sockets.received('message_updated') as { message: { content: string; deletedAt: string | null } }[];
    expect(updates.filter((u) => u.message.deletedAt !== null)).toHaveLength(1);
    await looks(louTab.page, 'actions-05-after-desktop');

    // After a reload the server's copy says the same.
    await louTab.page.reload();
    await waitConnected(louTab.page);
    const louAgain = await openChatWith(louTab.page, kim);
    await expect.poll(() => threadTexts(louAgain)).toEqual(expected);

    // Phone width: the menu and the states.
    await kimTab.page.setViewportSize({ width: 390, height: 844 });
    await looks(kimTab.page, 'actions-06-after-phone');
    await openMenu(kimChat, fixed);
    await looks(kimTab.page, 'actions-07-menu-phone');
    await kimTab.page.keyboard.press('Escape');
    await (await openMenu(kimChat, 'Yes! Where?')).getByRole('menuitem', { name: 'Reply' }).click();
    await looks(kimTab.page, 'actions-08-replying-phone');
  });
});
