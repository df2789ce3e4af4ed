import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PresenceState, PresenceSubscribeAck } from '@parley/protocol';
import { PresenceWatch, PRESENCE_WATCH_DEBOUNCE_MS, type WatchSocket } from './presenceWatch';

const id = (n: number) => n.toString(16).padStart(24, '0');

class Socket implements WatchSocket {
  connected = true;
  readonly sent: { userIds: string[]; ack: (result: PresenceSubscribeAck) => void }[] = [];
  emit(_event: 'presence_subscribe', payload: { userIds: string[] }, ack: (result: PresenceSubscribeAck) => void) {
    this.sent.push({ userIds: payload.userIds, ack });
  }
}

describe('PresenceWatch', () => {
  let socket: Socket;
  let states: PresenceState[][];
  let watch: PresenceWatch;
  beforeEach(() => {
    vi.useFakeTimers();
    socket = new Socket();
    states = [];
    watch = new PresenceWatch(socket, (users) => states.push(users));
  });
  afterEach(() => {
    watch.dispose();
    vi.useRealTimers();
  });

  it('sends one subscription once the set has settled for the debounce time', () => {
    const rows = Symbol('rows');
    watch.set(rows, [id(1)]);
    vi.advanceTimersByTime(PRESENCE_WATCH_DEBOUNCE_MS - 50);
    watch.set(rows, [id(1), id(2)]);
    vi.advanceTimersByTime(PRESENCE_WATCH_DEBOUNCE_MS - 50);
    watch.set(rows, [id(1), id(2), id(3)]);
    expect(socket.sent).toHaveLength(0);
    vi.advanceTimersByTime(PRESENCE_WATCH_DEBOUNCE_MS);
    expect(socket.sent.map((call) => call.userIds)).toEqual([[id(1), id(2), id(3)]]);
  });

  it('hands the ack states on, and does not resend an unchanged set', () => {
    const rows = Symbol('rows');
    watch.set(rows, [id(1)]);
    vi.advanceTimersByTime(PRESENCE_WATCH_DEBOUNCE_MS);
    socket.sent[0]!.ack({ ok: true, users: [{ userId: id(1), online: true, lastSeen: null }] });
    expect(states).toEqual([[{ userId: id(1), online: true, lastSeen: null }]]);
    watch.set(rows, [id(1)]);
    vi.advanceTimersByTime(PRESENCE_WATCH_DEBOUNCE_MS);
    expect(socket.sent).toHaveLength(1);
  });

  it('caps the union at 200, the higher priority first, duplicates counted once', () => {
    const rows = Symbol('rows');
    const header = Symbol('header');
    watch.set(rows, Array.from({ length: 250 }, (_, n) => id(n + 1)));
    watch.set(header, [id(1000), id(5)], 0);
    vi.advanceTimersByTime(PRESENCE_WATCH_DEBOUNCE_MS);
    const [call] = socket.sent;
    expect(call!.userIds).toHaveLength(200);
    expect(call!.userIds.slice(0, 3)).toEqual([id(1000), id(5), id(1)]);
    expect(new Set(call!.userIds).size).toBe(200);
  });

  it('unregistering a part drops its ids from the next subscription', () => {
    const rows = Symbol('rows');
    const header = Symbol('header');
    watch.set(rows, [id(1)]);
    watch.set(header, [id(2)], 0);
    vi.advanceTimersByTime(PRESENCE_WATCH_DEBOUNCE_MS);
    watch.delete(rows);
    vi.advanceTimersByTime(PRESENCE_WATCH_DEBOUNCE_MS);
    expect(socket.sent.map((call) => call.userIds)).toEqual([[id(2), id(1)], [id(2)]]);
  });

  it('waits while disconnected and sends at once on a (re)connect, even an unchanged set', () => {
    const rows = Symbol('rows');
    socket.connected = false;
    watch.set(rows, [id(1)]);
    vi.advanceTimersByTime(PRESENCE_WATCH_DEBOUNCE_MS);
    expect(socket.sent).toHaveLength(0);
    socket.connected = true;
    watch.connected();
    expect(socket.sent.map((call) => call.userIds)).toEqual([[id(1)]]);
    // A new socket after a reconnect has no subscription: the same set goes again.
    watch.connected();
    expect(socket.sent).toHaveLength(2);
  });

  it('sends nothing for an empty set on a fresh socket', () => {
    watch.connected();
    expect(socket.sent).toHaveLength(0);
  });

  it('retries a refused subscription later', () => {
    watch.set(Symbol('rows'), [id(1)]);
    vi.advanceTimersByTime(PRESENCE_WATCH_DEBOUNCE_MS);
    socket.sent[0]!.ack({ ok: false, error: { code: 'RATE_LIMITED', message: 'slow down' } });
    vi.advanceTimersByTime(2000);
    expect(socket.sent).toHaveLength(2);
    expect(states).toEqual([]);
  });
});
