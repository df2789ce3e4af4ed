import { act, fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { DeleteMessagePayload, EditMessagePayload, Message, MessageAck, SendMessageAck, SendMessagePayload } from '@parley/protocol';
import { alice, fromAlice, me, openChatWith, renderWorkspace, storedCopyOf, toAlice } from '../../test/chatHarness';
import { installFakeSocket, type FakeSocket } from '../../test/fakeSocket';
import { loadOutbox } from './outbox';

vi.mock('../../lib/socket', () => import('../../test/fakeSocket').then((m) => m.fakeSocketModule));

let socket: FakeSocket;
beforeEach(() => {
  socket = installFakeSocket();
});

async function openAliceChat(aliceHistory: Message[], aliceNextCursor: string | null = null) {
  const user = userEvent.setup();
  const view = await renderWorkspace(socket, { aliceHistory, aliceNextCursor });
  const messages = await openChatWith(alice, user);
  await within(messages).findByText(aliceHistory.at(-1)!.content);
  return { ...view, user, messages };
}

function rowOf(messages: HTMLElement, text: string): HTMLElement {
  return within(messages).getByText(text).closest('[role="listitem"]') as HTMLElement;
}

function emitsOf<P, A>(event: 'edit_message' | 'delete_message' | 'send_message') {
  return socket.emitsOf(event).map((emit) => ({ payload: emit.payload as P, ack: emit.ack as (response: A) => void }));
}

const edits = () => emitsOf<EditMessagePayload, MessageAck>('edit_message');
const deletes = () => emitsOf<DeleteMessagePayload, MessageAck>('delete_message');
const sends = () => emitsOf<SendMessagePayload, SendMessageAck>('send_message');

describe('message menu', () => {
  it('opens from the keyboard on the "More actions" button, moves with arrows, and Escape gives focus back', async () => {
    const mine = toAlice('Mine');
    const { user, messages } = await openAliceChat([fromAlice('Theirs'), mine]);

    const theirs = rowOf(messages, 'Theirs');
    const more = within(theirs).getByRole('button', { name: 'More actions' });
    more.focus();
    await user.keyboard('{Enter}');
    const menu = within(theirs).getByRole('menu', { name: 'Message actions' });
    expect(more).toHaveAttribute('aria-expanded', 'true');
    // Someone else's message: reply and copy only.
    expect(within(menu).getAllByRole('menuitem').map((item) => item.textContent)).toEqual(['Reply', 'Copy text']);
    expect(within(menu).getByRole('menuitem', { name: 'Reply' })).toHaveFocus();
    await user.keyboard('{ArrowDown}');
    expect(within(menu).getByRole('menuitem', { name: 'Copy text' })).toHaveFocus();
    await user.keyboard('{ArrowDown}');
    expect(within(menu).getByRole('menuitem', { name: 'Reply' })).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(within(theirs).queryByRole('menu')).not.toBeInTheDocument();
    expect(more).toHaveFocus();

    // My own message, opened with Shift+F10 (the context-menu key's twin): edit and delete too.
    const own = rowOf(messages, 'Mine');
    within(own).getByRole('button', { name: 'More actions' }).focus();
    await user.keyboard('{Shift>}{F10}{/Shift}');
    expect(within(within(own).getByRole('menu')).getAllByRole('menuitem').map((item) => item.textContent)).toEqual([
      'Reply',
      'Edit',
      'Copy text',
      'Delete',
    ]);
  });

  it('opens on a right click or long press ("contextmenu") and on a touch held still; Copy text copies', async () => {
    const { user, messages } = await openAliceChat([fromAlice('Copy me')]);
    // After user-event's setup, which installs a clipboard of its own.
    const writeText = vi.fn(async () => undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const row = rowOf(messages, 'Copy me');
    fireEvent.contextMenu(within(row).getByText('Copy me'));
    await user.click(within(row).getByRole('menuitem', { name: 'Copy text' }));
    expect(writeText).toHaveBeenCalledWith('Copy me');
    expect(within(row).queryByRole('menu')).not.toBeInTheDocument();

    vi.useFakeTimers();
    try {
      fireEvent.touchStart(within(row).getByText('Copy me'));
      act(() => vi.advanceTimersByTime(600));
      expect(within(row).getByRole('menu', { name: 'Message actions' })).toBeInTheDocument();
    } finally {
      vi.useRealTimers();
    }
  });

  it('a deleted message offers no actions', async () => {
    const { messages } = await openAliceChat([fromAlice('', { deletedAt: '2026-01-02T12:00:00.000Z' })].map((m) => ({ ...m, content: '' })).concat(fromAlice('After')));
    const deleted = within(messages).getByText('This message was deleted').closest('[role="listitem"]') as HTMLElement;
    expect(within(deleted).queryByRole('button', { name: 'More actions' })).not.toBeInTheDocument();
  });
});

describe('inline edit', () => {
  it('Escape cancels (nothing sent, focus back on the button); Enter saves at once, marked edited, and the ack settles it', async () => {
    const mine = toAlice('Helo');
    const { user, messages } = await openAliceChat([fromAlice('Hi!'), mine]);
    const row = rowOf(messages, 'Helo');
    const more = within(row).getByRole('button', { name: 'More actions' });

    await user.click(more);
    await user.click(within(row).getByRole('menuitem', { name: 'Edit' }));
    const editor = within(row).getByRole('textbox', { name: 'Edit message' });
    expect(editor).toHaveFocus();
    await user.type(editor, ' there');
    await user.keyboard('{Escape}');
    expect(within(row).queryByRole('textbox', { name: 'Edit message' })).not.toBeInTheDocument();
    expect(within(row).getByText('Helo')).toBeInTheDocument();
    expect(more).toHaveFocus();
    expect(edits()).toHaveLength(0);

    await user.click(more);
    await user.click(within(row).getByRole('menuitem', { name: 'Edit' }));
    await user.clear(within(row).getByRole('textbox', { name: 'Edit message' }));
    await user.type(within(row).getByRole('textbox', { name: 'Edit message' }), 'Hello{Enter}');

    expect(within(row).getByText('Hello')).toBeInTheDocument();
    expect(within(row).getByText('edited')).toBeInTheDocument();
    expect(within(row).getByRole('img', { name: 'Sending' })).toBeInTheDocument();
    const [edit] = edits();
    expect(edit?.payload).toEqual({ messageId: mine.id, content: 'Hello' });

    const stored = { ...mine, content: 'Hello', editedAt: new Date().toISOString(), updatedAt: new Date().toISOString() };
    act(() => edit?.ack({ ok: true, message: stored }));
    act(() => socket.serverEmit('message_updated', { message: stored }));
    expect(within(messages).getAllByText('Hello')).toHaveLength(1);
    expect(within(row).getByRole('img', { name: 'Sent' })).toBeInTheDocument();
    expect(loadOutbox(me.id)).toEqual([]);
    expect(edits()).toHaveLength(1);
  });
});

describe('delete', () => {
  it('asks first (focus on Cancel, Escape or Cancel keeps it), then deletes for both and shows the placeholder', async () => {
    const mine = toAlice('Regrettable');
    const { user, messages } = await openAliceChat([fromAlice('Hi!'), mine]);
    const row = rowOf(messages, 'Regrettable');
    const more = within(row).getByRole('button', { name: 'More actions' });

    await user.click(more);
    await user.click(within(row).getByRole('menuitem', { name: 'Delete' }));
    let dialog = screen.getByRole('alertdialog', { name: 'Delete this message?' });
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(more).toHaveFocus();
    expect(deletes()).toHaveLength(0);

    await user.click(more);
    await user.click(within(row).getByRole('menuitem', { name: 'Delete' }));
    dialog = screen.getByRole('alertdialog', { name: 'Delete this message?' });
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));
    expect(deletes().map((d) => d.payload)).toEqual([{ messageId: mine.id }]);
    expect(within(messages).queryByText('Regrettable')).not.toBeInTheDocument();
    expect(within(messages).getByText('This message was deleted')).toBeInTheDocument();

    const stored = { ...mine, content: '', deletedAt: new Date().toISOString(), updatedAt: new Date().toISOString() };
    act(() => deletes()[0]?.ack({ ok: true, message: stored }));
    expect(within(messages).getByText('This message was deleted')).toBeInTheDocument();
    expect(loadOutbox(me.id)).toEqual([]);
  });

  it('shows the other person’s edits and deletes as they happen, and quotes follow them', async () => {
    const original = fromAlice('Original words');
    const reply = toAlice('Answer', { replyTo: { id: original.id, sender: alice.id, content: 'Original words' } });
    const { messages } = await openAliceChat([original, reply]);
    const later = (minutes: number) => new Date(Date.parse(original.updatedAt) + minutes * 60_000).toISOString();

    act(() => socket.serverEmit('message_updated', { message: { ...original, content: 'Better words', editedAt: later(1), updatedAt: later(1) } }));
    expect(within(messages).getByText('Better words', { selector: '.bubble__content' })).toBeInTheDocument();
    expect(within(messages).getByText('edited')).toBeInTheDocument();
    expect(within(rowOf(messages, 'Answer')).getByRole('button', { name: /Reply to Alice Liddell: Better words/ })).toBeInTheDocument();

    act(() => socket.serverEmit('message_updated', { message: { ...original, content: '', deletedAt: later(2), updatedAt: later(2) } }));
    expect(within(messages).getByText('This message was deleted')).toBeInTheDocument();
    expect(within(messages).queryAllByText(/Better words/)).toEqual([]);
    expect(within(rowOf(messages, 'Answer')).getByRole('button', { name: /Reply to Alice Liddell: Deleted message/ })).toBeInTheDocument();
  });
});

describe('reply', () => {
  it('shows the quote above the composer (Cancel reply removes it), sends replyToId, and the bubble shows the quote', async () => {
    const question = fromAlice('Lunch at noon?');
    const { user, messages } = await openAliceChat([question]);
    const row = rowOf(messages, 'Lunch at noon?');

    await user.click(within(row).getByRole('button', { name: 'More actions' }));
    await user.click(within(row).getByRole('menuitem', { name: 'Reply' }));
    const quote = screen.getByRole('group', { name: 'Replying to Alice Liddell' });
    expect(within(quote).getByText('Lunch at noon?')).toBeInTheDocument();
    expect(screen.getByLabelText('Message')).toHaveFocus();
    await user.click(within(quote).getByRole('button', { name: 'Cancel reply' }));
    expect(screen.queryByRole('group', { name: /Replying to/ })).not.toBeInTheDocument();

    await user.click(within(row).getByRole('button', { name: 'More actions' }));
    await user.click(within(row).getByRole('menuitem', { name: 'Reply' }));
    await user.type(screen.getByLabelText('Message'), 'Yes!{Enter}');
    expect(screen.queryByRole('group', { name: /Replying to/ })).not.toBeInTheDocument();
    const [send] = sends();
    expect(send?.payload).toMatchObject({ receiverId: alice.id, content: 'Yes!', replyToId: question.id });
    const pending = rowOf(messages, 'Yes!');
    expect(within(pending).getByRole('button', { name: /Reply to Alice Liddell: Lunch at noon\?/ })).toBeInTheDocument();

    act(() => send?.ack({ ok: true, message: { ...storedCopyOf(send.payload), replyTo: { id: question.id, sender: alice.id, content: 'Lunch at noon?' } } }));
    expect(within(rowOf(messages, 'Yes!')).getByRole('button', { name: /Reply to Alice Liddell/ })).toBeInTheDocument();
  });

  it('clicking a quote goes to the original, loading older history until it is there', async () => {
    const original = fromAlice('Way back', { createdAt: '2026-01-01T09:00:00.000Z', updatedAt: '2026-01-01T09:00:00.000Z' });
    const reply = toAlice('About that', { replyTo: { id: original.id, sender: alice.id, content: 'Way back' } });
    const { user, messages, api } = await openAliceChat([reply], 'cursor-1');
    api.messages.mockImplementation(async () => ({ messages: [original], nextCursor: null }));

    await user.click(within(messages).getByRole('button', { name: /Reply to Alice Liddell: Way back/ }));
    expect(api.messages).toHaveBeenLastCalledWith(alice.id, 'cursor-1');
    const target = await within(messages).findByText('Way back', { selector: '.bubble__content' });
    await vi.waitFor(() => expect(target.closest('[role="listitem"]')).toHaveFocus());
  });
});

describe('outbox for edits and deletes', () => {
  it('an edit and a delete made offline are kept, and go out once each on reconnect, in order', async () => {
    const first = toAlice('First draft');
    const second = toAlice('Second thought');
    const { user, messages } = await openAliceChat([fromAlice('Hi!'), first, second]);
    act(() => socket.dropConnection());

    const firstRow = rowOf(messages, 'First draft');
    await user.click(within(firstRow).getByRole('button', { name: 'More actions' }));
    await user.click(within(firstRow).getByRole('menuitem', { name: 'Edit' }));
    await user.clear(within(firstRow).getByRole('textbox', { name: 'Edit message' }));
    await user.type(within(firstRow).getByRole('textbox', { name: 'Edit message' }), 'Final draft{Enter}');
    const secondRow = rowOf(messages, 'Second thought');
    await user.click(within(secondRow).getByRole('button', { name: 'More actions' }));
    await user.click(within(secondRow).getByRole('menuitem', { name: 'Delete' }));
    await user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Delete' }));

    // Shown at once, stored for a reload, nothing sent while offline.
    expect(within(messages).getByText('Final draft')).toBeInTheDocument();
    expect(within(messages).getByText('This message was deleted')).toBeInTheDocument();
    expect(loadOutbox(me.id).map((entry) => [entry.kind, entry.target?.messageId, entry.content])).toEqual([
      ['edit', first.id, 'Final draft'],
      ['delete', second.id, ''],
    ]);
    expect([edits(), deletes()]).toEqual([[], []]);

    act(() => socket.acceptConnection());
    // One per person at a time: the delete waits for the edit's ack.
    expect(edits().map((e) => e.payload)).toEqual([{ messageId: first.id, content: 'Final draft' }]);
    expect(deletes()).toHaveLength(0);
    act(() => edits()[0]?.ack({ ok: true, message: { ...first, content: 'Final draft', editedAt: new Date().toISOString(), updatedAt: new Date().toISOString() } }));
    expect(deletes().map((d) => d.payload)).toEqual([{ messageId: second.id }]);
    act(() => deletes()[0]?.ack({ ok: true, message: { ...second, content: '', deletedAt: new Date().toISOString(), updatedAt: new Date().toISOString() } }));

    expect(loadOutbox(me.id)).toEqual([]);
    expect([edits().length, deletes().length]).toEqual([1, 1]);
  });

  it('editing a message that has not left yet just changes the queued send; deleting it drops the send', async () => {
    const { user, messages } = await openAliceChat([fromAlice('Hi!')]);
    act(() => socket.dropConnection());
    await user.type(screen.getByLabelText('Message'), 'Helo{Enter}');
    await user.type(screen.getByLabelText('Message'), 'Never mind{Enter}');

    const typo = rowOf(messages, 'Helo');
    await user.click(within(typo).getByRole('button', { name: 'More actions' }));
    await user.click(within(typo).getByRole('menuitem', { name: 'Edit' }));
    await user.clear(within(typo).getByRole('textbox', { name: 'Edit message' }));
    await user.type(within(typo).getByRole('textbox', { name: 'Edit message' }), 'Hello{Enter}');
    const regret = rowOf(messages, 'Never mind');
    await user.click(within(regret).getByRole('button', { name: 'More actions' }));
    await user.click(within(regret).getByRole('menuitem', { name: 'Delete' }));
    await user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Delete' }));

    expect(within(messages).queryByText('Never mind')).not.toBeInTheDocument();
    expect(loadOutbox(me.id).map((entry) => [entry.kind, entry.content])).toEqual([[undefined, 'Hello']]);

    act(() => socket.acceptConnection());
    expect(sends().map((s) => s.payload.content)).toEqual(['Hello']);
    expect([edits().length, deletes().length]).toEqual([0, 0]);
  });

  it('an edit refused for good (the message was deleted elsewhere) is dropped and said out loud', async () => {
    const mine = toAlice('Soon gone');
    const { user, messages } = await openAliceChat([fromAlice('Hi!'), mine]);
    const row = rowOf(messages, 'Soon gone');
    await user.click(within(row).getByRole('button', { name: 'More actions' }));
    await user.click(within(row).getByRole('menuitem', { name: 'Edit' }));
    await user.type(within(row).getByRole('textbox', { name: 'Edit message' }), '!{Enter}');
    act(() => edits()[0]?.ack({ ok: false, error: { code: 'FORBIDDEN', message: 'A deleted message cannot be edited' } }));
    expect(loadOutbox(me.id)).toEqual([]);
    expect(within(messages).getByText('Soon gone')).toBeInTheDocument();
    expect(screen.getByTestId('chat-announcer')).toHaveTextContent('The edit could not be saved.');
  });
});
