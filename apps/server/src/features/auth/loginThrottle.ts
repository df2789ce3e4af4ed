import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

/**
 * Failed sign-ins per username, whatever the client address: a few are free, the next ones are
 * answered ever more slowly, and `maxFailures` lock the username for `lockoutMs`. A correct
 * password after the lock works again. Behind this interface so Redis can back it with several
 * nodes (rate-limiter-flexible's RateLimiterRedis has the same API as the memory limiter).
 */
export interface LoginThrottle {
  /** How long `username` must still wait before trying again; 0 when it may try now. */
  retryAfterMs(username: string): Promise<number>;
  /** Counts a failure; answers how long to hold the failing answer (the progressive delay). */
  failed(username: string): Promise<{ delayMs: number }>;
  succeeded(username: string): Promise<void>;
}

/** Failures answered at once; each later one waits twice as long as the one before, up to the cap. */
export const FREE_FAILURES = 3;
const FIRST_DELAY_MS = 250;
const MAX_DELAY_MS = 2000;

export function delayAfterFailure(failures: number): number {
  if (failures <= FREE_FAILURES) return 0;
  return Math.min(FIRST_DELAY_MS * 2 ** (failures - FREE_FAILURES - 1), MAX_DELAY_MS);
}

export function rateLimiterLoginThrottle(limiter: RateLimiterAbstract, lockoutMs: number): LoginThrottle {
  const lockoutSeconds = Math.max(1, Math.ceil(lockoutMs / 1000));
  return {
    async retryAfterMs(username) {
      const state = await limiter.get(username);
      // A blocked key holds points + 1 (rate-limiter-flexible's block()).
      return state && state.consumedPoints > limiter.points ? Math.max(1, state.msBeforeNext) : 0;
    },
    async failed(username) {
      const state = await limiter.consume(username).catch((refusal: unknown) => {
        if (refusal instanceof RateLimiterRes) return refusal;
        throw refusal;
      });
      if (state.consumedPoints >= limiter.points) {
        await limiter.block(username, lockoutSeconds);
        return { delayMs: 0 };
      }
      return { delayMs: delayAfterFailure(state.consumedPoints) };
    },
    async succeeded(username) {
      await limiter.delete(username);
    },
  };
}

export function createMemoryLoginThrottle(options: { maxFailures: number; lockoutMs: number }): LoginThrottle {
  const limiter = new RateLimiterMemory({
    keyPrefix: 'login-failures',
    points: options.maxFailures,
    // Failures count within one lockout period of each other.
    duration: Math.max(1, Math.ceil(options.lockoutMs / 1000)),
  });
  return rateLimiterLoginThrottle(limiter, options.lockoutMs);
}
