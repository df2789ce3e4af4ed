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
  /**
   * Spends `units` (1 when not given) of `userId`'s budget at `door`, or says how long until
   * there are enough again. More units than the whole burst cost the whole burst: a call is
   * never refused for ever.
   */
  take(userId: string, door: Door, units?: number): Promise<BudgetVerdict>;
}

/** Ids one unit pays for at the doors that take a list of ids: 200 ids cost 10 calls of 1. */
export const IDS_PER_UNIT = 20;
const ID_LISTS: Partial<Record<Door, string>> = { presence_subscribe: 'userIds', message_delivered: 'messageIds' };

/**
 * What one event costs at its door, in budget units: one per call, except where the server's work
 * grows with a list of ids (one read or write per id): one per started `IDS_PER_UNIT` ids. Read
 * from the payload before it is validated, so anything odd costs 1 (and is refused by the handler).
 */
export function unitsOf(door: Door, payload: unknown): number {
  const field = ID_LISTS[door];
  if (!field || typeof payload !== 'object' || payload === null) return 1;
  const ids = (payload as Record<string, unknown>)[field];
  return Array.isArray(ids) ? Math.max(1, Math.ceil(ids.length / IDS_PER_UNIT)) : 1;
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
    async take(userId, door, units = 1) {
      const limiter = limiters.get(door);
      if (!limiter) return { allowed: true };
      try {
        await limiter.consume(userId, Math.min(Math.max(1, units), limiter.points));
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
