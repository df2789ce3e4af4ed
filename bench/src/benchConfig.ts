import { MIN_CLIENT_PROTOCOL_VERSION } from '@parley/protocol';
import type { AppConfig } from '../../apps/server/src/config.js';
import { DOORS, type BudgetConfig } from '../../apps/server/src/lib/budgets.js';

/** The server under test: real code paths, limits out of the way of the load. */
export function benchConfig(secret: string, presenceGraceMs: number): AppConfig {
  return {
    production: false,
    jwt: { secret: new TextEncoder().encode(secret), issuer: 'parley', audience: 'parley-web', accessTtlSeconds: 3600 },
    refreshTokenTtlMs: 24 * 3600 * 1000,
    sessionMaxAgeMs: 24 * 3600 * 1000,
    allowedOrigins: [],
    trustProxy: false,
    authRateLimit: { max: 1_000_000, windowMs: 60_000 },
    refreshRateLimitMax: 1_000_000,
    loginThrottle: { maxFailures: 1_000_000, lockoutMs: 60_000 },
    sendRate: { perSecond: 1_000_000, burst: 1_000_000 },
    typingRatePerSecond: 1_000_000,
    // Charged on every door as in production, but never refusing the load.
    budgets: Object.fromEntries(DOORS.map((door) => [door, { perSecond: 1_000_000, burst: 1_000_000 }])) as BudgetConfig,
    maxQueuedPerUser: 1_000_000,
    maxSocketsPerUser: 1_000_000,
    presenceGraceMs,
    shutdownTimeoutMs: 2000,
    shutdownDrainDelayMs: 0,
    metricsToken: undefined,
    webDistDir: undefined,
    minClientProtocolVersion: MIN_CLIENT_PROTOCOL_VERSION,
  };
}
