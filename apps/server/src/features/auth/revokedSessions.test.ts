import { describe, expect, it } from 'vitest';
import { InMemoryRevokedSessions } from './revokedSessions.js';

describe('InMemoryRevokedSessions', () => {
  it('refuses a session until the given time, then forgets it', async () => {
    let now = 1_000_000;
    const revoked = new InMemoryRevokedSessions(() => now);
    await revoked.revoke('a', new Date(now + 900_000));
    expect(await revoked.isRevoked('a')).toBe(true);
    expect(await revoked.isRevoked('b')).toBe(false);
    now += 900_000;
    expect(await revoked.isRevoked('a')).toBe(false);
    expect(revoked.size).toBe(0);
  });

  it('keeps only recent revocations: old entries are swept as new ones come', async () => {
    let now = 0;
    const revoked = new InMemoryRevokedSessions(() => now);
    for (let i = 0; i < 1000; i += 1) await revoked.revoke(`old${i}`, new Date(now + 1000));
    now += 120_000;
    await revoked.revoke('new', new Date(now + 1000));
    expect(revoked.size).toBe(1);
  });

  it('never shortens a revocation', async () => {
    const revoked = new InMemoryRevokedSessions(() => 0);
    await revoked.revoke('a', new Date(5000));
    await revoked.revoke('a', new Date(10));
    expect(await revoked.isRevoked('a')).toBe(true);
  });
});
