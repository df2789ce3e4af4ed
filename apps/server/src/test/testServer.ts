import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Connection } from 'mongoose';
import { MIN_CLIENT_PROTOCOL_VERSION } from '@parley/protocol';
import { afterAll, beforeAll, inject } from 'vitest';
import { createApp, type ParleyApp } from '../app.js';
import type { AppConfig } from '../config.js';
import { connectDatabase } from '../db/connect.js';
import { DOORS, type BudgetConfig } from '../lib/budgets.js';
import { silentLogger, type AppLogger } from '../lib/logger.js';
import { connectedSocket, type RecordingSocket, type TestUser } from './clients.js';

export const TEST_JWT_SECRET = 'test-secret-that-is-at-least-32-bytes-long!!';

export function testConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  return {
    production: false,
    jwt: {
      secret: new TextEncoder().encode(TEST_JWT_SECRET),
      issuer: 'parley',
      audience: 'parley-web',
      accessTtlSeconds: 900,
    },
    refreshTokenTtlMs: 30 * 24 * 3600 * 1000,
    sessionMaxAgeMs: 30 * 24 * 3600 * 1000,
    allowedOrigins: ['http://allowed.example'],
    trustProxy: false,
    authRateLimit: { max: 10_000, windowMs: 60_000 },
    refreshRateLimitMax: 10_000,
    loginThrottle: { maxFailures: 10_000, lockoutMs: 60_000 },
    sendRate: { perSecond: 10_000, burst: 10_000 },
    typingRatePerSecond: 1000,
    // Out of the way unless a test is about them.
    budgets: Object.fromEntries(DOORS.map((door) => [door, { perSecond: 100_000, burst: 100_000 }])) as BudgetConfig,
    maxQueuedPerUser: 100_000,
    maxSocketsPerUser: 1000,
    presenceGraceMs: 300,
    shutdownTimeoutMs: 5000,
    shutdownDrainDelayMs: 0,
    metricsToken: undefined,
    webDistDir: undefined,
    minClientProtocolVersion: MIN_CLIENT_PROTOCOL_VERSION,
    ...overrides,
  };
}

export interface TestServer {
  url: string;
  port: number;
  app: ParleyApp;
  db: Connection;
  close(): Promise<void>;
}

export function uniqueDbName(): string {
  return `parley_test_${randomBytes(6).toString('hex')}`;
}

/** The real app on port 0 against the real test database, in a database of its own. */
export async function startTestServer(
  overrides: Partial<AppConfig> = {},
  options: { uri?: string; dbName?: string; port?: number; dbTimeoutMs?: number; logger?: AppLogger } = {},
): Promise<TestServer> {
  const db = await connectDatabase(options.uri ?? inject('mongoUri'), {
    timeoutMs: options.dbTimeoutMs ?? 2000,
    dbName: options.dbName ?? uniqueDbName(),
  });
  const app = createApp({ config: testConfig(overrides), db, logger: options.logger ?? silentLogger });
  await new Promise<void>((resolve) => app.httpServer.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = app.httpServer.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    app,
    db,
    async close() {
      await app.close();
      await db.close();
    },
  };
}

/**
 * One server for a whole test file, started before its tests and closed after them together
 * with every socket `open` connected. Each file thus works in a database of its own.
 */
export function serverForThisFile(overrides: Partial<AppConfig> = {}) {
  let current: TestServer | undefined;
  const opened: RecordingSocket[] = [];
  beforeAll(async () => {
    current = await startTestServer(overrides);
  });
  afterAll(async () => {
    for (const socket of opened) socket.close();
    await current?.close();
  });
  return {
    get server(): TestServer {
      if (!current) throw new Error('the server starts in beforeAll');
      return current;
    },
    /** Every socket `open` has connected so far. */
    get opened(): readonly RecordingSocket[] {
      return opened;
    },
    /** A connected, recording socket of `user`, closed after the file. */
    async open(user: TestUser): Promise<RecordingSocket> {
      const socket = await connectedSocket(this.server.url, user.accessToken);
      opened.push(socket);
      return socket;
    },
  };
}
