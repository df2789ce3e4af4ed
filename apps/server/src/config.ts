import { z } from 'zod';
import { MIN_CLIENT_PROTOCOL_VERSION } from '@parley/protocol';

const csv = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  );

/** `VAR=` in a .env file means unset, not an empty value. */
const emptyAsUnset = (value: unknown) => (value === '' ? undefined : value);

const booleanFlag = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');

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
  ALLOWED_ORIGINS: csv,
  TRUST_PROXY: booleanFlag.default(false),
  AUTH_RATE_LIMIT_MAX: z.coerce.number().int().min(1).default(20),
  AUTH_RATE_LIMIT_WINDOW_MS: z.coerce.number().int().min(1000).default(60_000),
  SEND_RATE_PER_SECOND: z.coerce.number().positive().default(10),
  SEND_RATE_BURST: z.coerce.number().int().min(1).default(30),
  TYPING_RATE_PER_SECOND: z.coerce.number().positive().default(5),
  PRESENCE_GRACE_MS: z.coerce.number().int().min(0).max(120_000).default(5000),
  /** Several nodes: a node silent this long is taken as dead and its sockets leave presence. */
  PRESENCE_NODE_TIMEOUT_MS: z.coerce.number().int().min(1000).max(300_000).default(15_000),
  DB_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(2000),
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

/** What app.ts needs: plain values, already validated, no environment lookups. */
export interface AppConfig {
  production: boolean;
  jwt: { secret: Uint8Array; issuer: string; audience: string; accessTtlSeconds: number };
  refreshTokenTtlMs: number;
  allowedOrigins: string[];
  trustProxy: boolean;
  authRateLimit: { max: number; windowMs: number };
  sendRate: { perSecond: number; burst: number };
  typingRatePerSecond: number;
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
    refreshTokenTtlMs: env.REFRESH_TOKEN_TTL_DAYS * 24 * 60 * 60 * 1000,
    allowedOrigins: env.ALLOWED_ORIGINS,
    trustProxy: env.TRUST_PROXY,
    authRateLimit: { max: env.AUTH_RATE_LIMIT_MAX, windowMs: env.AUTH_RATE_LIMIT_WINDOW_MS },
    sendRate: { perSecond: env.SEND_RATE_PER_SECOND, burst: env.SEND_RATE_BURST },
    typingRatePerSecond: env.TYPING_RATE_PER_SECOND,
    presenceGraceMs: env.PRESENCE_GRACE_MS,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    shutdownDrainDelayMs: env.SHUTDOWN_DRAIN_DELAY_MS,
    metricsToken: env.METRICS_TOKEN,
    webDistDir: env.WEB_DIST_DIR,
    minClientProtocolVersion: MIN_CLIENT_PROTOCOL_VERSION,
  };
}
