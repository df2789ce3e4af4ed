import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { CLIENT_EVENT_NAMES, type ClientEventName } from '@parley/protocol';

/**
 * A door is one way a signed-in user can make the server work: each client -> server socket event,
 * and the authenticated REST routes (one door for all of them). Each user has a budget per door
 * (ADR 0021), so one user's appetite is bounded whatever the others do.
 */
export type Door = ClientEventName | 'rest';
export const DOORS: readonly Door[] = [...CLIENT_EVENT_NAMES, 'rest'];

/** `burst` at once, `perSecond` sustained. */
export interface Rate {
  perSecond: number;
  burst: number;
}
export type BudgetConfig = Record<Door, Rate>;

export type BudgetVerdict = { allowed: true } | { allowed: false; retryAfterMs: number };

/** One user's spending at the doors; in memory (one node) or in Redis (several, cluster/redisBudgets.ts). */
export interface Budgets {
  /** Spends one unit of `userId`'s budget at `door`, or says how long until there is one again. */
  take(userId: string, door: Door): Promise<BudgetVerdict>;
}

/**
 * rate-limiter-flexible counts in fixed windows of whole seconds (Redis `EX`): a rate and a burst
 * become a window of burst / rate seconds (at least 1) holding that many seconds' worth of units.
 * Sustained, that is exactly `perSecond`; at a window edge up to two windows' worth can pass at
 * once, which is still a bound, and the bound is all a budget promises.
 */
export function windowOf(rate: Rate): { points: number; duration: number } {
  const duration = Math.max(1, Math.ceil(rate.burst / rate.perSecond));
  return { points: Math.max(1, Math.round(rate.perSecond * duration)), duration };
}

/** Budgets over one rate-limiter-flexible limiter per door, made by `limiterFor` (memory or Redis). */
export function rateLimiterBudgets(config: BudgetConfig, limiterFor: (door: Door, window: { points: number; duration: number }) => RateLimiterAbstract): Budgets {
  const limiters = new Map(DOORS.map((door) => [door, limiterFor(door, windowOf(config[door]))]));
  return {
    async take(userId, door) {
      const limiter = limiters.get(door);
      if (!limiter) return { allowed: true };
      try {
        await limiter.consume(userId);
        return { allowed: true };
      } catch (refusal) {
        // The library rejects with its result when the budget is spent, with an Error otherwise.
        if (refusal instanceof RateLimiterRes) return { allowed: false, retryAfterMs: Math.max(1, refusal.msBeforeNext) };
        throw refusal;
      }
    },
  };
}

export function memoryBudgets(config: BudgetConfig): Budgets {
  return rateLimiterBudgets(config, (door, window) => new RateLimiterMemory({ keyPrefix: `budget:${door}`, ...window }));
}
