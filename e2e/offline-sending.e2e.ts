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
  tickOf,
  waitConnected,
} from './support/browser.js';

// messages written offline wait in the outbox and are delivered once when back online.
describe('Offline sending: offline sends are delivered once on reconnect', () => {
  const session = browserSession();

  it('keeps three messages "Sending" while offline, then delivers each exactly once', async () => {
    const { person: ivy, context: ivyContext } = await session.registered('Ivy');
    const { person: jon, context: jonContext } = await session.registered('Jon');

    const ivyTab = await openTab(ivyContext);
    const jonTab = await openTab(jonContext);
    await waitConnected(ivyTab.page);
    await waitConnected(jonTab.page);
    const ivyChat = await openChatWith(ivyTab.page, jon);
    const jonChat = await openChatWith(jonTab.page, ivy);

    const online = `Before the tunnel ${Date.now()}`;
    await sendMessage(ivyTab.page, online);
    await expect.poll(() => countMessages(jonChat, online)).toBe(1);

    await ivyContext.setOffline(true);
    await ivyTab.page.getByRole('status').filter({ hasText: 'Offline' }).waitFor();
    const offline = ['In the tunnel 1', 'In the tunnel 2', 'In the tunnel 3'];
    for (const line of offline) await sendMessage(ivyTab.page, line);
    for (const line of offline) await expect.poll(() => tickOf(ivyChat, line)).toBe('Sending');
    // A banner says what is waiting.
    await ivyTab.page.getByText('3 messages will be sent when you are back online.').waitFor();
    await screenshot(ivyTab.page, 'offline-sending-01-ivy-offline-sending');

    // Nothing gets through while offline.
    await quietPeriod(1500);
    for (const line of offline) {
      expect(await countMessages(jonChat, line)).toBe(0);
      expect(await tickOf(ivyChat, line)).toBe('Sending');
    }
    await screenshot(jonTab.page, 'offline-sending-02-jon-sees-nothing-yet');

    const socketsBefore = ivyTab.sockets.opened;
    await ivyContext.setOffline(false);
    await waitConnected(ivyTab.page, 30_000);
    // A real reconnect: a new socket, on which the outbox is sent.
    expect(ivyTab.sockets.opened).toBeGreaterThan(socketsBefore);
    for (const line of offline) await expect.poll(() => tickOf(ivyChat, line), { timeout: 20_000 }).toMatch(/^(Delivered|Read)$/);
    for (const line of offline) await expect.poll(() => countMessages(jonChat, line)).toBe(1);
    expect(await ivyTab.page.getByText(/will be sent when you are back online/).count()).toBe(0);
    await quietPeriod(1000);
    const expected = [online, ...offline];
    expect(await threadTexts(ivyChat)).toEqual(expected);
    expect(await threadTexts(jonChat)).toEqual(expected);
    // On the wire, too: Jon's socket was handed each of them once.
    const jonGot = jonTab.sockets.received('new_message').map((p) => (p as { message: { content: string } }).message.content);
    for (const line of offline) expect(jonGot.filter((content) => content === line)).toHaveLength(1);
    await screenshot(ivyTab.page, 'offline-sending-03-ivy-back-online-delivered');
    await screenshot(jonTab.page, 'offline-sending-04-jon-got-each-once');
  });

  it('shows "Sent" to an offline receiver, "Delivered" when their app fetches it, "Read" only when they open it', async () => {
    const { person: kim, context: kimContext } = await session.registered('Kim');
    const { person: leo, context: leoContext } = await session.registered('Leo');

    // Leo has no tab open: stored, not delivered.
    const kimTab = await openTab(kimContext);
    await waitConnected(kimTab.page);
    const kimChat = await openChatWith(kimTab.page, leo);
    const line = 'Call me when you land';
    await sendMessage(kimTab.page, line);
    await expect.poll(() => tickOf(kimChat, line)).toBe('Sent');
    await quietPeriod(1000);
    expect(await tickOf(kimChat, line)).toBe('Sent');
    await screenshot(kimTab.page, 'offline-sending-05-kim-sent-to-offline-leo');

    // Leo opens the app (not the chat): his app fetches it, and Kim sees "Delivered" live.
    const leoTab = await openTab(leoContext);
    await waitConnected(leoTab.page);
    await chatRow(leoTab.page, kim).getByText(line, { exact: true }).waitFor();
    await chatRow(leoTab.page, kim).getByLabel('1 unread').waitFor();
    await expect.poll(() => tickOf(kimChat, line)).toBe('Delivered');
    await screenshot(kimTab.page, 'offline-sending-06-kim-sees-delivered');

    // Then he reads it.
    await openConversation(leoTab.page, kim);
    await expect.poll(() => tickOf(kimChat, line)).toBe('Read');
  });
});
