import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Message } from '@parley/protocol';
import { alice, bob, fromAlice, me, openChatWith } from '../test/chatHarness';
import { makeMessage } from '../test/fixtures';
import { installFakeSocket, type FakeSocket } from '../test/fakeSocket';
import { makeFakeApi, renderWithSession } from '../test/renderWithSession';
import { muted, newsArrived, permission } from '../features/notifications/notifier';
import { AppHeader } from './AppHeader';
import { Workspace } from './SignedInApp';

vi.mock('../lib/socket', () => import('../test/fakeSocket').then((m) => m.fakeSocketModule));

class FakeNotification {
  static permission: NotificationPermission = 'granted';
  static requestPermission = vi.fn(async () => 'granted' as NotificationPermission);
  static shown: FakeNotification[] = [];
  onclick: (() => void) | null = null;
  constructor(
    readonly title: string,
    readonly options: NotificationOptions,
  ) {
    FakeNotification.shown.push(this);
  }
  close() {}
}

let tones = 0;
class FakeAudioContext {
  state = 'running';
  currentTime = 0;
  destination = {};
  createGain() {
    return { connect() {}, gain: { setValueAtTime() {}, exponentialRampToValueAtTime() {} } };
  }
  createOscillator() {
    tones += 1;
    return { type: 'sine', frequency: { value: 0 }, connect() {}, start() {}, stop() {} };
  }
}

let socket: FakeSocket;
let visibility: DocumentVisibilityState = 'visible';
beforeEach(() => {
  socket = installFakeSocket();
  FakeNotification.shown = [];
  FakeNotification.permission = 'granted';
  tones = 0;
  visibility = 'visible';
  vi.stubGlobal('Notification', FakeNotification);
  vi.stubGlobal('AudioContext', FakeAudioContext);
  vi.stubGlobal('matchMedia', () => ({ matches: false, addEventListener() {}, removeEventListener() {} }));
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => visibility });
  muted.set(false);
  permission.set('granted');
  newsArrived.set(false);
});
afterEach(() => {
  vi.unstubAllGlobals();
});

async function renderApp() {
  const api = makeFakeApi({
    conversations: vi.fn(async () => ({ conversations: [
      { user: alice, lastMessage: fromAlice('Hi!'), unreadCount: 0 },
      { user: bob, lastMessage: makeMessage({ sender: bob.id, receiver: me.id, content: 'Yo' }), unreadCount: 0 },
    ], nextCursor: null })),
    messages: vi.fn(async () => ({ messages: [fromAlice('Hi!')], nextCursor: null })),
  });
  const view = renderWithSession(
    <>
      <AppHeader user={me} settingsOpen={false} onToggleSettings={() => undefined} />
      <Workspace />
    </>,
    { api, me },
  );
  act(() => socket.acceptConnection());
  await screen.findByRole('button', { name: /Alice Liddell/ });
  return view;
}

const fromBob = (content: string): Message => makeMessage({ sender: bob.id, receiver: me.id, content });
const arrive = (message: Message) => act(() => socket.serverEmit('new_message', { message }));

describe('notifications when you are not looking', () => {
  it('for another chat: a chime and one notification per chat; clicking it opens that chat', async () => {
    const user = userEvent.setup();
    await renderApp();
    await openChatWith(alice, user);

    arrive(fromBob('Lunch?'));
    arrive(fromBob('At noon'));

    expect(FakeNotification.shown.map((n) => [n.title, n.options.body, n.options.tag])).toEqual([
      ['Bob Builder', 'Lunch?', `parley-chat-${bob.id}`],
      ['Bob Builder', 'At noon', `parley-chat-${bob.id}`],
    ]);
    expect(tones).toBeGreaterThan(0);

    act(() => FakeNotification.shown[1]!.onclick?.());
    expect(await screen.findByRole('region', { name: 'Chat with Bob Builder' })).toBeInTheDocument();
  });

  it('stays quiet for the chat on screen, and speaks up for it when the tab is hidden', async () => {
    const user = userEvent.setup();
    await renderApp();
    await openChatWith(alice, user);

    arrive(fromAlice('Seen as it comes'));
    expect(FakeNotification.shown).toHaveLength(0);
    expect(tones).toBe(0);

    visibility = 'hidden';
    arrive(fromAlice('While you were away'));
    expect(FakeNotification.shown.map((n) => n.options.body)).toEqual(['While you were away']);
  });

  it('mute silences everything and is remembered', async () => {
    const user = userEvent.setup();
    await renderApp();
    const mute = screen.getByRole('button', { name: 'Mute notifications' });
    expect(mute).toHaveAttribute('aria-pressed', 'false');
    await user.click(mute);
    expect(mute).toHaveAttribute('aria-pressed', 'true');
    expect(localStorage.getItem('parley:notifications-muted')).toContain('true');

    arrive(fromBob('Anyone?'));
    expect(FakeNotification.shown).toHaveLength(0);
    expect(tones).toBe(0);
  });

  it('offers to turn notifications on only after a first message arrives', async () => {
    permission.set('default');
    const user = userEvent.setup();
    await renderApp();
    expect(screen.queryByRole('button', { name: 'Turn on notifications' })).not.toBeInTheDocument();

    arrive(fromBob('Hello'));
    await user.click(await screen.findByRole('button', { name: 'Turn on notifications' }));
    expect(FakeNotification.requestPermission).toHaveBeenCalled();
    expect(screen.queryByRole('button', { name: 'Turn on notifications' })).not.toBeInTheDocument();
  });

  it('on a phone, shows a toast for another chat that opens it when tapped', async () => {
    vi.stubGlobal('matchMedia', (query: string) => ({ matches: query.includes('max-width'), addEventListener() {}, removeEventListener() {} }));
    const user = userEvent.setup();
    await renderApp();
    await openChatWith(alice, user);

    arrive(fromBob('Over here'));
    expect(FakeNotification.shown).toHaveLength(0);
    const toast = await screen.findByRole('group', { name: 'New message in another chat' });
    await user.click(within(toast).getByRole('button', { name: /Bob Builder\s*Over here/ }));
    expect(await screen.findByRole('region', { name: 'Chat with Bob Builder' })).toBeInTheDocument();
    expect(screen.queryByRole('group', { name: 'New message in another chat' })).not.toBeInTheDocument();
  });
});
