import { describe, expect, it } from 'vitest';
import type { PresenceStore } from '../features/presence/presence.store.js';

/**
 * What every PresenceStore must do, whatever holds the state (memory now, Redis later): run this
 * with a factory for a fresh, empty store with the given grace period. Time is passed in, never
 * read from a clock, so the same cases run against any implementation.
 */
export function describePresenceStoreContract(name: string, makeStore: (options: { graceMs: number }) => Promise<PresenceStore>): void {
  const GRACE = 1000;
  const T0 = 1_700_000_000_000;
  const gone = { explicit: false, now: T0 };
  const signedOut = { explicit: true, now: T0 };
  const shown = { shows: true };
  const hiding = { shows: false };

  describe(`${name} (PresenceStore contract)`, () => {
    it('the first socket brings a user online; more sockets do not', async () => {
      const store = await makeStore({ graceMs: GRACE });
      expect(await store.connect('u1', 's1', shown)).toEqual({ cameOnline: true });
      expect(await store.connect('u1', 's2', shown)).toEqual({ cameOnline: false });
      expect(await store.onlineAmong(['u1', 'u2'])).toEqual(['u1']);
    });

    it('closing one of two sockets changes nothing; the last one starts the grace period', async () => {
      const store = await makeStore({ graceMs: GRACE });
      await store.connect('u1', 's1', shown);
      await store.connect('u1', 's2', shown);
      expect(await store.disconnect('u1', 's1', gone)).toEqual({ wentOffline: false, leavingAt: null });
      expect(await store.disconnect('u1', 's2', gone)).toEqual({ wentOffline: false, leavingAt: T0 + GRACE });
      // Inside the grace period the user still counts as online.
      expect(await store.onlineAmong(['u1'])).toEqual(['u1']);
    });

    it('a socket back within the grace period cancels it: never offline, never online again', async () => {
      const store = await makeStore({ graceMs: GRACE });
      await store.connect('u1', 's1', shown);
      await store.disconnect('u1', 's1', gone);
      expect(await store.connect('u1', 's2', shown)).toEqual({ cameOnline: false });
      expect(await store.expireDue(T0 + GRACE * 10)).toEqual([]);
      expect(await store.onlineAmong(['u1'])).toEqual(['u1']);
    });

    it('expireDue ends exactly the grace periods that are due, once', async () => {
      const store = await makeStore({ graceMs: GRACE });
      await store.connect('u1', 's1', shown);
      await store.connect('u2', 's2', shown);
      await store.disconnect('u1', 's1', { explicit: false, now: T0 });
      await store.disconnect('u2', 's2', { explicit: false, now: T0 + 500 });
      expect(await store.expireDue(T0 + GRACE - 1)).toEqual([]);
      expect(await store.expireDue(T0 + GRACE)).toEqual(['u1']);
      expect(await store.onlineAmong(['u1', 'u2'])).toEqual(['u2']);
      expect(await store.expireDue(T0 + GRACE + 500)).toEqual(['u2']);
      expect(await store.expireDue(T0 + GRACE * 10)).toEqual([]);
      expect(await store.onlineAmong(['u1', 'u2'])).toEqual([]);
    });

    it('after expiry the next socket is a new arrival', async () => {
      const store = await makeStore({ graceMs: GRACE });
      await store.connect('u1', 's1', shown);
      await store.disconnect('u1', 's1', gone);
      await store.expireDue(T0 + GRACE);
      expect(await store.connect('u1', 's2', shown)).toEqual({ cameOnline: true });
    });

    it('leaving again restarts the grace period from the new departure', async () => {
      const store = await makeStore({ graceMs: GRACE });
      await store.connect('u1', 's1', shown);
      await store.disconnect('u1', 's1', { explicit: false, now: T0 });
      await store.connect('u1', 's2', shown);
      expect(await store.disconnect('u1', 's2', { explicit: false, now: T0 + 800 })).toEqual({
        wentOffline: false,
        leavingAt: T0 + 800 + GRACE,
      });
      expect(await store.expireDue(T0 + GRACE)).toEqual([]);
      expect(await store.expireDue(T0 + 800 + GRACE)).toEqual(['u1']);
    });

    it('an explicit departure of the last socket is offline at once, with nothing left to expire', async () => {
      const store = await makeStore({ graceMs: GRACE });
      await store.connect('u1', 's1', shown);
      await store.connect('u1', 's2', shown);
      expect(await store.disconnect('u1', 's1', signedOut)).toEqual({ wentOffline: false, leavingAt: null });
      expect(await store.disconnect('u1', 's2', signedOut)).toEqual({ wentOffline: true, leavingAt: null });
      expect(await store.onlineAmong(['u1'])).toEqual([]);
      expect(await store.expireDue(T0 + GRACE * 10)).toEqual([]);
    });

    it('with no grace period the last socket leaving is offline at once', async () => {
      const store = await makeStore({ graceMs: 0 });
      await store.connect('u1', 's1', shown);
      expect(await store.disconnect('u1', 's1', gone)).toEqual({ wentOffline: true, leavingAt: null });
      expect(await store.onlineAmong(['u1'])).toEqual([]);
    });

    it('an unknown or already removed socket changes nothing', async () => {
      const store = await makeStore({ graceMs: GRACE });
      expect(await store.disconnect('u1', 'nope', signedOut)).toEqual({ wentOffline: false, leavingAt: null });
      await store.connect('u1', 's1', shown);
      await store.disconnect('u1', 's1', signedOut);
      expect(await store.disconnect('u1', 's1', signedOut)).toEqual({ wentOffline: false, leavingAt: null });
      expect(await store.onlineAmong(['u1'])).toEqual([]);
    });

    it('showingOnlineAmong leaves out users who hide their presence, online or not', async () => {
      const store = await makeStore({ graceMs: GRACE });
      await store.connect('shown', 's1', shown);
      await store.connect('hidden', 's2', hiding);
      expect(await store.onlineAmong(['shown', 'hidden', 'away'])).toEqual(['shown', 'hidden']);
      expect(await store.showingOnlineAmong(['shown', 'hidden', 'away'])).toEqual(['shown']);
      // Inside the grace period the setting still holds.
      await store.disconnect('hidden', 's2', gone);
      expect(await store.showingOnlineAmong(['hidden'])).toEqual([]);
    });

    it('setShows changes the setting of an online user and says whether they are online', async () => {
      const store = await makeStore({ graceMs: GRACE });
      await store.connect('u1', 's1', shown);
      expect(await store.setShows('u1', false)).toEqual({ online: true });
      expect(await store.showingOnlineAmong(['u1'])).toEqual([]);
      expect(await store.setShows('u1', true)).toEqual({ online: true });
      expect(await store.showingOnlineAmong(['u1'])).toEqual(['u1']);
      expect(await store.setShows('away', false)).toEqual({ online: false });
    });

    it('a new connect refreshes the setting; going offline forgets it', async () => {
      const store = await makeStore({ graceMs: GRACE });
      await store.connect('u1', 's1', hiding);
      await store.connect('u1', 's2', shown);
      expect(await store.showingOnlineAmong(['u1'])).toEqual(['u1']);
      await store.setShows('u1', false);
      await store.disconnect('u1', 's1', signedOut);
      await store.disconnect('u1', 's2', signedOut);
      await store.connect('u1', 's3', shown);
      expect(await store.showingOnlineAmong(['u1'])).toEqual(['u1']);
    });

    it('socketCount counts the open sockets of one user: not another user\'s, not a user in the grace period', async () => {
      const store = await makeStore({ graceMs: GRACE });
      expect(await store.socketCount('u1')).toBe(0);
      await store.connect('u1', 's1', shown);
      await store.connect('u1', 's2', hiding);
      await store.connect('u2', 's3', shown);
      expect(await store.socketCount('u1')).toBe(2);
      await store.disconnect('u1', 's1', gone);
      expect(await store.socketCount('u1')).toBe(1);
      await store.disconnect('u1', 's2', gone);
      expect(await store.socketCount('u1')).toBe(0);
      expect(await store.onlineAmong(['u1'])).toEqual(['u1']);
      expect(await store.socketCount('u2')).toBe(1);
    });

    it('onlineAmong answers only about the ids asked, in their order', async () => {
      const store = await makeStore({ graceMs: GRACE });
      for (const user of ['a', 'b', 'c', 'd']) await store.connect(user, `${user}-socket`, shown);
      expect(await store.onlineAmong(['d', 'x', 'b'])).toEqual(['d', 'b']);
      expect(await store.onlineAmong([])).toEqual([]);
    });
  });
}
