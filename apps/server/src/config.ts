import { isIP } from 'node:net';
import { z } from 'zod';
import { MIN_CLIENT_PROTOCOL_VERSION } from '@parley/protocol';
import type { BudgetConfig, Rate } from './lib/budgets.js';

const csv = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  );

/** proxy-addr's names for address ranges, accepted in TRUST_PROXY beside addresses and CIDRs. */
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isProxyAddressOrRange(item: string): boolean {
  if (PROXY_RANGE_NAMES.has(item)) return true;
  const [address = '', prefix, ...rest] = item.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * Which proxies may tell us the client address (X-Forwarded-For) and scheme: `false` (none),
 * a hop count, or a list of proxy addresses / CIDRs. `true` would trust any client's own
 * X-Forwarded-For, which switches every per-address limit off, so it is refused.
 */
export const TrustProxySchema = z
  .string()
  .trim()
  .default('false')
  .transform((value, context): false | number | string[] => {
    if (value === '' || value === 'false') return false;
    if (value === 'true') {
      context.addIssue({
        code: 'custom',
        message:
          'TRUST_PROXY=true would trust any X-Forwarded-For a client sends; give the number of proxies in front of the server (e.g. 1) or their addresses/CIDRs (e.g. 10.0.0.0/8,127.0.0.1)',
      });
      return z.NEVER;
    }
    if (/^\d+$/.test(value)) {
      const hops = Number(value);
      return hops === 0 ? false : hops;
    }
    const items = value.split(',').map((item) => item.trim()).filter(Boolean);
    const bad = items.filter((item) => !isProxyAddressOrRange(item));
    if (bad.length > 0) {
      context.addIssue({
        code: 'custom',
        message: `not a hop count nor a list of proxy addresses/CIDRs: ${bad.join(', ')}`,
      });
      return z.NEVER;
    }
    return items;
  });
export type TrustProxy = z.output<typeof TrustProxySchema>;

/**
 * A per-user budget at one door (ADR 0021): `<per second>/<burst>`, e.g. `10/30` = 30 at once and
 * 10 a second sustained. A rate below 1 is fine (`0.5/5`: five at once, then one every 2 s).
 */
const budget = (fallback: string) =>
  z
    .string()
    .trim()
    .default(fallback)
    .transform((value, context): Rate => {
      const match = /^(\d+(?:\.\d+)?)\/(\d+)$/.exec(value);
      const perSecond = Number(match?.[1]);
      const burst = Number(match?.[2]);
      if (!match || !(perSecond > 0) || !(burst >= 1)) {
        context.addIssue({ code: 'custom', message: `must be <per second>/<burst> with both above 0, like 10/30; got "${value}"` });
        return z.NEVER;
      }
      return { perSecond, burst };
    });

/** `VAR=` in a .env file means unset, not an empty value. */
const emptyAsUnset = (value: unknown) => (value === '' ? undefined : value);


/** Every environment variable the server reads; `.env.example` documents each one. */
export const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  MONGODB_URI: z.string().url().optional(),
  REDIS_URL: z
    .string()
    .url()
    .refine((url) => /^rediss?:/.test(url), 'must be a redis:// or rediss:// URL')
    .optional(),
  DATA_DIR: z.string().default('.data'),
  JWT_SECRET: z.string().optional(),
  JWT_ISSUER: z.string().default('parley'),
  JWT_AUDIENCE: z.string().default('parley-web'),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(3600).default(900),
  REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  SESSION_MAX_AGE_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  ALLOWED_ORIGINS: csv,
  TRUST_PROXY: TrustProxySchema,
  AUTH_RATE_LIMIT_MAX: z.coerce.number().int().min(1).default(20),
  AUTH_RATE_LIMIT_WINDOW_MS: z.coerce.number().int().min(1000).default(60_000),
  REFRESH_RATE_LIMIT_MAX: z.coerce.number().int().min(1).default(60),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(10),
  LOGIN_LOCKOUT_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
  SEND_RATE_PER_SECOND: z.coerce.number().positive().default(10),
  SEND_RATE_BURST: z.coerce.number().int().min(1).default(30),
  TYPING_RATE_PER_SECOND: z.coerce.number().positive().default(5),
  // Per-user budgets, one per door (ADR 0021; .env.example says why each default).
  BUDGET_SEND_MESSAGE: budget('10/30'),
  BUDGET_EDIT_MESSAGE: budget('5/20'),
  BUDGET_DELETE_MESSAGE: budget('5/20'),
  BUDGET_MARK_AS_READ: budget('10/30'),
  BUDGET_MESSAGE_DELIVERED: budget('20/100'),
  BUDGET_TYPING_START: budget('5/10'),
  BUDGET_TYPING_STOP: budget('5/10'),
  BUDGET_PRESENCE_SUBSCRIBE: budget('10/30'),
  BUDGET_REST: budget('20/60'),
  /** Answered socket events of one user waiting or running on one node (they run one at a time); beyond, RATE_LIMITED. */
  MAX_QUEUED_PER_USER: z.coerce.number().int().min(1).max(100_000).default(32),
  /** Sockets of one user across every node; beyond, the handshake is refused (TOO_MANY_CONNECTIONS). */
  MAX_SOCKETS_PER_USER: z.coerce.number().int().min(1).max(100_000).default(20),
  PRESENCE_GRACE_MS: z.coerce.number().int().min(0).max(120_000).default(5000),
  /** Several nodes: a node silent this long is taken as dead and its sockets leave presence. */
  PRESENCE_NODE_TIMEOUT_MS: z.coerce.number().int().min(1000).max(300_000).default(15_000),
  DB_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(2000),
  /** The driver's connection pool per node: at most this many database commands at once. */
  DB_MAX_POOL_SIZE: z.coerce.number().int().min(2).max(500).default(10),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  WEB_DIST_DIR: z.string().optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  LOG_FORMAT: z.preprocess(emptyAsUnset, z.enum(['json', 'pretty']).optional()),
  METRICS_TOKEN: z.preprocess(emptyAsUnset, z.string().min(16, 'METRICS_TOKEN must be at least 16 characters').optional()),
  METRICS_PORT: z.preprocess(emptyAsUnset, z.coerce.number().int().min(1).max(65535).optional()),
  SHUTDOWN_DRAIN_DELAY_MS: z.coerce.number().int().min(0).max(120_000).default(0),
});
export type Env = z.infer<typeof EnvSchema>;

export const MIN_JWT_SECRET_BYTES = 32;
const DAY_MS = 24 * 60 * 60 * 1000;

/** What app.ts needs: plain values, already validated, no environment lookups. */
export interface AppConfig {
  production: boolean;
  jwt: { secret: Uint8Array; issuer: string; audience: string; accessTtlSeconds: number };
  refreshTokenTtlMs: number;
  /** Absolute lifetime of a session (one sign-in): refreshes never extend it. */
  sessionMaxAgeMs: number;
  allowedOrigins: string[];
  trustProxy: TrustProxy;
  authRateLimit: { max: number; windowMs: number };
  /** Refreshes per client address per `authRateLimit.windowMs`. */
  refreshRateLimitMax: number;
  /** Failed logins per username before it is locked for `lockoutMs` (progressively slower before). */
  loginThrottle: { maxFailures: number; lockoutMs: number };
  sendRate: { perSecond: number; burst: number };
  typingRatePerSecond: number;
  /** Per user and door (each client socket event, the authenticated REST routes): ADR 0021. */
  budgets: BudgetConfig;
  /** Acked socket events of one user in progress on this node before the next is refused. */
  maxQueuedPerUser: number;
  /** Sockets of one user (every node) before a handshake is refused with TOO_MANY_CONNECTIONS. */
  maxSocketsPerUser: number;
  presenceGraceMs: number;
  shutdownTimeoutMs: number;
  /** At shutdown, how long readiness answers 503 while everything still works (load balancers catch up). */
  shutdownDrainDelayMs: number;
  /** Bearer token for GET /metrics on the public port; undefined = no /metrics there. */
  metricsToken: string | undefined;
  webDistDir: string | undefined;
  /** Declared client protocol versions below this are refused at the handshake. */
  minClientProtocolVersion: number;
}

export class ConfigError extends Error {}

export function parseEnv(env: NodeJS.ProcessEnv): Env {
  const result = EnvSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  }
  return result.data;
}

export function toAppConfig(env: Env, jwtSecret: string): AppConfig {
  const secret = new TextEncoder().encode(jwtSecret);
  if (secret.byteLength < MIN_JWT_SECRET_BYTES) {
    throw new ConfigError(`JWT_SECRET must be at least ${MIN_JWT_SECRET_BYTES} bytes`);
  }
  return {
    production: env.NODE_ENV === 'production',
    jwt: {
      secret,
      issuer: env.JWT_ISSUER,
      audience: env.JWT_AUDIENCE,
      accessTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
    },
    refreshTokenTtlMs: env.REFRESH_TOKEN_TTL_DAYS * DAY_MS,
    sessionMaxAgeMs: env.SESSION_MAX_AGE_DAYS * DAY_MS,
    allowedOrigins: env.ALLOWED_ORIGINS,
    trustProxy: env.TRUST_PROXY,
    authRateLimit: { max: env.AUTH_RATE_LIMIT_MAX, windowMs: env.AUTH_RATE_LIMIT_WINDOW_MS },
    refreshRateLimitMax: env.REFRESH_RATE_LIMIT_MAX,
    loginThrottle: { maxFailures: env.LOGIN_MAX_FAILURES, lockoutMs: env.LOGIN_LOCKOUT_SECONDS * 1000 },
    sendRate: { perSecond: env.SEND_RATE_PER_SECOND, burst: env.SEND_RATE_BURST },
    typingRatePerSecond: env.TYPING_RATE_PER_SECOND,
    budgets: {
      send_message: env.BUDGET_SEND_MESSAGE,
      edit_message: env.BUDGET_EDIT_MESSAGE,
      delete_message: env.BUDGET_DELETE_MESSAGE,
      mark_as_read: env.BUDGET_MARK_AS_READ,
      message_delivered: env.BUDGET_MESSAGE_DELIVERED,
      typing_start: env.BUDGET_TYPING_START,
      typing_stop: env.BUDGET_TYPING_STOP,
      presence_subscribe: env.BUDGET_PRESENCE_SUBSCRIBE,
      rest: env.BUDGET_REST,
    },
    maxQueuedPerUser: env.MAX_QUEUED_PER_USER,
    maxSocketsPerUser: env.MAX_SOCKETS_PER_USER,
    presenceGraceMs: env.PRESENCE_GRACE_MS,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    shutdownDrainDelayMs: env.SHUTDOWN_DRAIN_DELAY_MS,
    metricsToken: env.METRICS_TOKEN,
    webDistDir: env.WEB_DIST_DIR,
    minClientProtocolVersion: MIN_CLIENT_PROTOCOL_VERSION,
  };
}
