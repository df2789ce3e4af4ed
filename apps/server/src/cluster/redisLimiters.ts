import type { Redis } from 'ioredis';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { rateLimiterLoginThrottle, type LoginThrottle } from '../features/auth/loginThrottle.js';

/**
 * The sign-in limits shared by every node: failures per username (rate-limiter-flexible's
 * RateLimiterRedis behind the same LoginThrottle as the memory one), and the per-address limits
 * of express-rate-limit (its Redis store, rate-limit-redis).
 */
export function redisLoginThrottle(redis: Redis, options: { maxFailures: number; lockoutMs: number }): LoginThrottle {
  const limiter = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: 'parley:login-failures',
    points: options.maxFailures,
    duration: Math.max(1, Math.ceil(options.lockoutMs / 1000)),
  });
  return rateLimiterLoginThrottle(limiter, options.lockoutMs);
}

/** An express-rate-limit store in Redis; `prefix` names the limit (each limiter needs its own). */
export function redisRateLimitStore(redis: Redis) {
  return (prefix: string) =>
    new RedisStore({
      prefix: `parley:rl:${prefix}:`,
      sendCommand: (command: string, ...args: string[]) => redis.call(command, ...args) as Promise<RedisReply>,
    });
}
