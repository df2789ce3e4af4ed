import { parseEnv, toAppConfig, type AppConfig } from '../../apps/server/src/config.js';
import { DOORS, type BudgetConfig } from '../../apps/server/src/lib/budgets.js';

/**
 * The server under test: real code paths, configured as with no environment at all (so every
 * setting, and every budget added later, has its product default), then with the bench's own
 * values. Limits are moved out of the way of the load unless `defaultLimits` (S7, the noisy
 * neighbour, measures the product's per-user budgets as shipped).
 */
export function benchConfig(secret: string, presenceGraceMs: number, { defaultLimits = false } = {}): AppConfig {
  const base = toAppConfig(parseEnv({}), secret);
  const config: AppConfig = {
    ...base,
    production: false,
    jwt: { ...base.jwt, accessTtlSeconds: 3600 },
    refreshTokenTtlMs: 24 * 3600 * 1000,
    sessionMaxAgeMs: 24 * 3600 * 1000,
    allowedOrigins: [],
    trustProxy: false,
    presenceGraceMs,
    shutdownTimeoutMs: 2000,
    shutdownDrainDelayMs: 0,
    metricsToken: undefined,
    webDistDir: undefined,
  };
  if (defaultLimits) return config;
  return {
    ...config,
    authRateLimit: { max: 1_000_000, windowMs: 60_000 },
    refreshRateLimitMax: 1_000_000,
    loginThrottle: { maxFailures: 1_000_000, lockoutMs: 60_000 },
    sendRate: { perSecond: 1_000_000, burst: 1_000_000 },
    typingRatePerSecond: 1_000_000,
    // Charged on every door as in production, but never refusing the load.
    budgets: Object.fromEntries(DOORS.map((door) => [door, { perSecond: 1_000_000, burst: 1_000_000 }])) as BudgetConfig,
    maxQueuedPerUser: 1_000_000,
    maxSocketsPerUser: 1_000_000,
  };
}
