import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import { rateLimiterBudgets, type BudgetConfig, type Budgets } from '../lib/budgets.js';

/**
 * Per-user budgets shared by every node (issue 13 "Shared budgets"): rate-limiter-flexible's
 * RateLimiterRedis on the node's command connection, one key per user and door. While Redis is
 * away each node counts in its own memory (the library's insurance limiter) instead of refusing
 * everyone or waiting: a user may then spend up to one budget per node, for the outage only.
 */
export function redisBudgets(redis: Redis, config: BudgetConfig, prefix = 'parley:budget'): Budgets {
  return rateLimiterBudgets(
    config,
    (door, window) =>
      new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `${prefix}:${door}`,
        ...window,
        // Fail over to memory at once rather than queue behind a dead link.
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory({ keyPrefix: `${prefix}:${door}`, ...window }),
      }),
  );
}
