import { describe, expect, it } from 'vitest';
import { createMemoryLoginThrottle, delayAfterFailure, FREE_FAILURES } from './loginThrottle.js';

describe('delayAfterFailure', () => {
  it('answers the first failures at once, then ever more slowly, up to a cap', () => {
    const delays = Array.from({ length: 10 }, (_, i) => delayAfterFailure(i + 1));
    expect(delays.slice(0, FREE_FAILURES)).toEqual([0, 0, 0]);
    expect(delays.slice(FREE_FAILURES, FREE_FAILURES + 4)).toEqual([250, 500, 1000, 2000]);
    expect(Math.max(...delays)).toBe(2000);
  });
});

describe('memory login throttle', () => {
  it('locks a username after maxFailures for the lockout, per username, and a success starts over', async () => {
    const throttle = createMemoryLoginThrottle({ maxFailures: 5, lockoutMs: 60_000 });
    for (let i = 1; i <= 4; i += 1) {
      expect(await throttle.retryAfterMs('alice')).toBe(0);
      expect((await throttle.failed('alice')).delayMs).toBe(delayAfterFailure(i));
    }
    await throttle.failed('alice');
    const wait = await throttle.retryAfterMs('alice');
    expect(wait).toBeGreaterThan(59_000);
    expect(wait).toBeLessThanOrEqual(60_000);
    expect(await throttle.retryAfterMs('bob')).toBe(0);

    await throttle.failed('carol');
    await throttle.failed('carol');
    await throttle.succeeded('carol');
    expect((await throttle.failed('carol')).delayMs).toBe(delayAfterFailure(1));
  });
});
