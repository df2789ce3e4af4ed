import { describe, expect, it } from 'vitest';
import { initialPresence, presenceReducer, type PresenceEvent } from './presenceState';

const alice = 'a00000000000000000000001';
const bob = 'b00000000000000000000002';
const carol = 'c00000000000000000000003';

describe('presenceReducer', () => {
  it('takes the online partners from a snapshot, and is synced from then on', () => {
    expect(initialPresence.synced).toBe(false);
    const state = presenceReducer(initialPresence, { type: 'online_users', payload: { userIds: [alice, bob] } });
    expect([...state.online]).toEqual([alice, bob]);
    expect(state.synced).toBe(true);
  });

  it('adds on user_online and removes on user_offline, remembering when', () => {
    let state = presenceReducer(initialPresence, { type: 'user_online', payload: { userId: alice } });
    expect(state.online.has(alice)).toBe(true);

    state = presenceReducer(state, { type: 'user_offline', payload: { userId: alice, lastSeen: '2026-01-01T10:00:00.000Z' } });
    expect(state.online.has(alice)).toBe(false);
    expect(state.lastSeen[alice]).toBe('2026-01-01T10:00:00.000Z');
  });

  it('drops a stale user when a reconnect snapshot no longer lists them', () => {
    let state = presenceReducer(initialPresence, { type: 'online_users', payload: { userIds: [alice, bob] } });
    // While we were disconnected Bob left and Carol arrived; we missed both events.
    state = presenceReducer(state, { type: 'connected' });
    expect(state.synced).toBe(false);
    state = presenceReducer(state, { type: 'online_users', payload: { userIds: [alice, carol] } });
    expect([...state.online].sort()).toEqual([alice, carol]);
  });

  it('a subscription ack and the snapshot combine in either order; the ack says who is offline, and since when', () => {
    const ack: PresenceEvent = {
      type: 'states',
      users: [
        { userId: bob, online: true, lastSeen: null },
        { userId: carol, online: false, lastSeen: null },
        { userId: alice, online: false, lastSeen: '2026-01-01T10:00:00.000Z' },
      ],
    };
    const partner = 'd00000000000000000000004';
    const snapshot: PresenceEvent = { type: 'online_users', payload: { userIds: [partner] } };
    const connected = presenceReducer(initialPresence, { type: 'connected' });
    const ackFirst = presenceReducer(presenceReducer(connected, ack), snapshot);
    const snapshotFirst = presenceReducer(presenceReducer(connected, snapshot), ack);
    for (const state of [ackFirst, snapshotFirst]) {
      expect([...state.online].sort()).toEqual([bob, partner]);
      expect(state.lastSeen[alice]).toBe('2026-01-01T10:00:00.000Z');
      // Told "no last seen" (null) is not the same as never told (no entry).
      expect(state.lastSeen[carol]).toBeNull();
      expect(partner in state.lastSeen).toBe(false);
    }
  });

  it('remembers a REST last-seen only where the server told nothing', () => {
    let state = presenceReducer(initialPresence, { type: 'user_offline', payload: { userId: alice, lastSeen: '2026-01-02T00:00:00.000Z' } });
    state = presenceReducer(state, {
      type: 'remember',
      users: [
        { id: alice, lastSeen: '2026-01-01T00:00:00.000Z' },
        { id: bob, lastSeen: null },
      ],
    });
    expect(state.lastSeen).toEqual({ [alice]: '2026-01-02T00:00:00.000Z', [bob]: null });
    expect(presenceReducer(state, { type: 'remember', users: [{ id: bob, lastSeen: 'x' }] })).toBe(state);
  });

  it('keeps the same state object when a known-online user comes online again', () => {
    const state = presenceReducer(initialPresence, { type: 'user_online', payload: { userId: alice } });
    expect(presenceReducer(state, { type: 'user_online', payload: { userId: alice } })).toBe(state);
  });
});
