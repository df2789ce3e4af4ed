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
  threadTexts,
  waitConnected,
} from './support/browser.js';

// one-to-one messages, live, persisted, on every tab, each exactly once.
describe('Messaging: real-time one-to-one messaging', () => {
  const session = browserSession();

  it('delivers live both ways, survives a reload and shows every message once on another tab', async () => {
    const { person: cleo, context: cleoContext, id: cleoId } = await session.registered('Cleo');
    const { person: dan, context: danContext } = await session.registered('Dan');

    const cleoTab = await openTab(cleoContext);
    const danTab = await openTab(danContext);
    await waitConnected(cleoTab.page);
    await waitConnected(danTab.page);

    // Dan has the chat with Cleo open before she writes.
    const danChat = await openChatWith(danTab.page, cleo);
    const cleoChat = await openChatWith(cleoTab.page, dan);
    await cleoChat.getByText(`Say hello to ${dan.displayName}`).waitFor();
    await screenshot(cleoTab.page, 'messaging-01-empty-chat');

    const first = `Hello Dan, it's Cleo (${Date.now()})`;
    const second = 'Are you free at <b>noon</b> & later?';
    await sendMessage(cleoTab.page, first);
    await expect.poll(() => countMessages(danChat, first)).toBe(1);
    await expect.poll(() => countMessages(cleoChat, first)).toBe(1);
    // The composer is empty again and keeps focus for the next line.
    expect(await cleoTab.page.getByLabel('Message', { exact: true }).inputValue()).toBe('');

    await sendMessage(cleoTab.page, second);
    await expect.poll(() => countMessages(danChat, second)).toBe(1);
    // Markup is shown as text, never interpreted.
    expect(await danChat.locator('b').count()).toBe(0);

    const reply = 'Noon works. See you!';
    await sendMessage(danTab.page, reply);
    await expect.poll(() => countMessages(cleoChat, reply)).toBe(1);
    await expect.poll(() => countMessages(danChat, reply)).toBe(1);

    await quietPeriod(500); // no late duplicate of any of them
    const expected = [first, second, reply];
    expect(await threadTexts(cleoChat)).toEqual(expected);
    expect(await threadTexts(danChat)).toEqual(expected);
    // On the wire: Dan's socket got each of Cleo's messages once, after they were stored (with ids).
    const danGot = danTab.sockets.received('new_message', (p: { message: { sender: string } }) => p.message.sender === cleoId) as {
      message: { id: string; content: string };
    }[];
    expect(danGot.map((p) => p.message.content)).toEqual([first, second]);
    expect(danGot.every((p) => /^[0-9a-f]{24}$/.test(p.message.id))).toBe(true);
    await screenshot(cleoTab.page, 'messaging-02-cleo-after-exchange');
    await screenshot(danTab.page, 'messaging-03-dan-after-exchange');

    // Both sidebars list the conversation with its last message.
    await chatRow(cleoTab.page, dan).getByText(reply, { exact: true }).waitFor();
    await chatRow(danTab.page, cleo).getByText(`You: ${reply}`, { exact: true }).waitFor();

    // A reload keeps everything: the history comes back from the server, in order, once.
    await cleoTab.page.reload();
    await waitConnected(cleoTab.page);
    const cleoChatAgain = await openConversation(cleoTab.page, dan);
    await expect.poll(() => threadTexts(cleoChatAgain)).toEqual(expected);
    await screenshot(cleoTab.page, 'messaging-04-cleo-after-reload');

    // Another tab of Cleo's shows the same thread, and follows new messages from either tab.
    const cleoTab3 = await openTab(cleoContext);
    await waitConnected(cleoTab3.page);
    const cleoChat3 = await openConversation(cleoTab3.page, dan);
    await expect.poll(() => threadTexts(cleoChat3)).toEqual(expected);

    const fromOtherTab = 'Sent from my other tab';
    await sendMessage(cleoTab.page, fromOtherTab);
    const fromDan = 'Got it';
    await expect.poll(() => countMessages(danChat, fromOtherTab)).toBe(1);
    await sendMessage(danTab.page, fromDan);
    const all = [...expected, fromOtherTab, fromDan];
    for (const chat of [cleoChatAgain, cleoChat3, danChat]) await expect.poll(() => threadTexts(chat)).toEqual(all);
    await quietPeriod(500);
    for (const chat of [cleoChatAgain, cleoChat3, danChat]) expect(await threadTexts(chat)).toEqual(all);
    await screenshot(cleoTab3.page, 'messaging-05-cleo-third-tab');

    // On a phone-sized screen the chat takes the whole width, and "Back to chats" shows the list.
    await cleoTab3.page.setViewportSize({ width: 390, height: 760 });
    await cleoChat3.getByRole('list', { name: 'Messages' }).waitFor();
    await cleoTab3.page.getByLabel('Message', { exact: true }).waitFor();
    expect(await cleoTab3.page.getByLabel('Search people').isVisible()).toBe(false);
    await screenshot(cleoTab3.page, 'messaging-06-phone-chat');
    await cleoTab3.page.getByRole('button', { name: 'Back to chats' }).click();
    await chatRow(cleoTab3.page, dan).waitFor();
    expect(await cleoChat3.isVisible()).toBe(false);
    await screenshot(cleoTab3.page, 'messaging-07-phone-list');
  });
});
