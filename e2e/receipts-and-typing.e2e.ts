import { describe, expect, it } from 'vitest';
import {
  browserSession,
  chatRow,
  countMessages,
  openChatWith,
  openConversation,
  openTab,
  quietPeriod,
  screenshot,
  sendMessage,
  tickOf,
  waitConnected,
} from './support/browser.js';

// read receipts are persistent truth, typing indicators are temporary hints.
describe('Receipts and typing: read receipts and typing indicators', () => {
  const session = browserSession();

  it('turns ticks to "Read" live only when the chat is opened, everywhere, and keeps them after a reload', async () => {
    const { person: eve, context: eveContext } = await session.registered('Eve');
    const { person: finn, context: finnContext } = await session.registered('Finn');

    // Finn is online in two tabs, neither looking at a chat.
    const finnTab = await openTab(finnContext);
    const finnTab2 = await openTab(finnContext);
    await waitConnected(finnTab.page);
    await waitConnected(finnTab2.page);
    const eveTab = await openTab(eveContext);
    await waitConnected(eveTab.page);
    const eveChat = await openChatWith(eveTab.page, finn);

    const lines = ['Did you read the report?', 'Page 3 especially'];
    for (const line of lines) await sendMessage(eveTab.page, line);
    // Finn's app holds them (delivered), but he is not looking at them.
    for (const line of lines) await expect.poll(() => tickOf(eveChat, line)).toBe('Delivered');

    // Online is not reading: both of Finn's tabs show the chat as unread, and the ticks stay unread.
    for (const tab of [finnTab, finnTab2]) await chatRow(tab.page, eve).getByLabel('2 unread').waitFor();
    await quietPeriod(1000);
    for (const line of lines) expect(await tickOf(eveChat, line)).toBe('Delivered');
    await screenshot(eveTab.page, 'receipts-and-typing-01-eve-sent-unread');
    await screenshot(finnTab.page, 'receipts-and-typing-02-finn-unread-badge');

    // Finn opens the chat in one tab: Eve's ticks turn to Read live, and his other tab's badge clears.
    await openConversation(finnTab.page, eve);
    for (const line of lines) await expect.poll(() => tickOf(eveChat, line)).toBe('Read');
    await chatRow(finnTab2.page, eve).getByLabel('2 unread').waitFor({ state: 'detached' });
    await screenshot(eveTab.page, 'receipts-and-typing-03-eve-sees-read');
    await screenshot(finnTab2.page, 'receipts-and-typing-04-finn-other-tab-badge-cleared');

    // While Finn looks at the chat, a quick burst is read as it arrives: every tick ends "Read".
    const burst = ['One', 'Two', 'Three'].map((word) => `${word} more thing`);
    for (const line of burst) await sendMessage(eveTab.page, line);
    for (const line of burst) await expect.poll(() => tickOf(eveChat, line), { timeout: 10_000 }).toBe('Read');
    await screenshot(eveTab.page, 'receipts-and-typing-03b-eve-burst-read');

    // Read state is stored: after a reload Eve still sees Read.
    await eveTab.page.reload();
    await waitConnected(eveTab.page);
    const eveChatAgain = await openConversation(eveTab.page, finn);
    for (const line of [...lines, ...burst]) await expect.poll(() => tickOf(eveChatAgain, line)).toBe('Read');
  });

  it('shows "… is typing…" while the partner types, without spam, and clears it within seconds of a pause or a send', async () => {
    const { person: gus, context: gusContext } = await session.registered('Gus');
    const { person: hana, context: hanaContext } = await session.registered('Hana');

    const gusTab = await openTab(gusContext);
    const hanaTab = await openTab(hanaContext);
    await waitConnected(gusTab.page);
    await waitConnected(hanaTab.page);
    await openChatWith(gusTab.page, hana);
    const hanaChat = await openChatWith(hanaTab.page, gus);
    const typingText = `${gus.displayName} is typing…`;
    const indicator = hanaChat.getByText(typingText, { exact: true });

    // Gus types for a while: Hana sees it in the chat header; Gus's tab says so once.
    const composer = gusTab.page.getByLabel('Message', { exact: true });
    await composer.click();
    await composer.pressSequentially('I was thinking', { delay: 60 });
    await indicator.waitFor({ timeout: 5_000 });
    await screenshot(hanaTab.page, 'receipts-and-typing-05-hana-sees-gus-typing');
    await composer.pressSequentially(' that we could meet', { delay: 60 });

    // He pauses: gone within a few seconds, cleared by a typing_stop (not by the 4 s expiry).
    const pausedAt = Date.now();
    await indicator.waitFor({ state: 'hidden', timeout: 5_000 });
    expect(Date.now() - pausedAt).toBeLessThan(3_000);
    // No spam: 33 keystrokes made one typing session (two at most, should the machine stall
    // longer than the 800 ms idle time between two keys), each closed by a stop.
    const starts = gusTab.sockets.sent('typing_start').length;
    expect(starts).toBeGreaterThanOrEqual(1);
    expect(starts).toBeLessThanOrEqual(2);
    await expect.poll(() => gusTab.sockets.sent('typing_stop').length).toBe(starts);
    await screenshot(hanaTab.page, 'receipts-and-typing-06-typing-cleared');

    // Typing again and sending: the message arrives and the indicator is gone with it.
    await composer.pressSequentially(' tomorrow?', { delay: 60 });
    await indicator.waitFor({ timeout: 5_000 });
    await composer.press('Enter');
    const sent = 'I was thinking that we could meet tomorrow?';
    await expect.poll(() => countMessages(hanaChat, sent)).toBe(1);
    expect(await indicator.isVisible()).toBe(false);
    // Sending ends the typing session at once.
    const startsNow = gusTab.sockets.sent('typing_start').length;
    expect(startsNow).toBeGreaterThan(starts);
    await expect.poll(() => gusTab.sockets.sent('typing_stop').length).toBe(startsNow);

    // Nothing of it is stored: after a reload Hana sees the message and no typing.
    await hanaTab.page.reload();
    await waitConnected(hanaTab.page);
    const hanaChatAgain = await openConversation(hanaTab.page, gus);
    await expect.poll(() => countMessages(hanaChatAgain, sent)).toBe(1);
    expect(await hanaChatAgain.getByText(typingText).count()).toBe(0);
  });
});
