import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../lib/logger.js';
import { createPresenceService } from './presence.service.js';
import { InMemoryPresenceStore } from './presence.store.js';

// The per-user socket cap's count (MAX_SOCKETS_PER_USER): the service alone, on the memory store.

function service(maxSocketsPerUser: number, store = new InMemoryPresenceStore({ graceMs: 0 })) {
  const presence = createPresenceService({
    store,
    announcer: { online() {}, offline() {}, watchEachOther() {}, tell() {} },
    profiles: async (ids) => ids.map((id) => ({ id, showPresence: true, lastSeen: null })),
    recordLastSeen: async () => {},
    partnersOf: async () => [],
    sweepEveryMs: 60_000,
    maxSocketsPerUser,
    logger: silentLogger,
  });
  return { presence, store };
}

describe('presence admissions', () => {
  it('handshakes of one user at once: exactly the cap is admitted, even before any of them connects', async () => {
    const { presence } = service(3);
    const admitted = await Promise.all(Array.from({ length: 8 }, (_, n) => presence.admitSocket('u1', `s${n}`)));
    expect(admitted.filter(Boolean)).toHaveLength(3);
    expect(await presence.admitSocket('u2', 'other')).toBe(true);
    await presence.close();
  });

  it('a socket counts once, whether admitted or connected; a disconnect or an abandoned handshake frees its place', async () => {
    const { presence } = service(2);
    expect(await presence.admitSocket('u1', 's1')).toBe(true);
    await presence.connect('u1', 's1');
    expect(await presence.admitSocket('u1', 's2')).toBe(true);
    expect(await presence.admitSocket('u1', 's3')).toBe(false);
    presence.abandonAdmission('u1', 's2');
    expect(await presence.admitSocket('u1', 's4')).toBe(true);
    await presence.connect('u1', 's4');
    expect(await presence.admitSocket('u1', 's5')).toBe(false);
    await presence.disconnect('u1', 's1', { explicit: false });
    expect(await presence.admitSocket('u1', 's6')).toBe(true);
    await presence.close();
  });
});
