import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../lib/freePort.js';
import { RedisProcess } from './redisServer.js';
import { redisLoginThrottle } from './redisLimiters.js';
import { RedisRevokedSessions } from './redisRevokedSessions.js';

// What nodes share besides presence, as two nodes see it: two clients of one Redis of the test's own.

let server: RedisProcess;
let nodeA: Redis;
let nodeB: Redis;
beforeAll(async () => {
  server = new RedisProcess(await freePort());
  await server.start();
  [nodeA, nodeB] = [new Redis(server.url), new Redis(server.url)];
});
afterAll(async () => {
  await Promise.all([nodeA?.quit(), nodeB?.quit()]);
  await server?.kill();
});

const unique = () => `test:${randomBytes(6).toString('hex')}`;

describe('RedisRevokedSessions', () => {
  it('a session revoked on one node is refused on the other until the given time, then forgotten', async () => {
    const prefix = `${unique()}:`;
    const [a, b] = [new RedisRevokedSessions(nodeA, prefix), new RedisRevokedSessions(nodeB, prefix)];
    expect(await b.isRevoked('s1')).toBe(false);
    await a.revoke('s1', new Date(Date.now() + 400));
    expect(await b.isRevoked('s1')).toBe(true);
    // A later revocation extends, an earlier one never shortens.
    await b.revoke('s1', new Date(Date.now() + 800));
    await a.revoke('s1', new Date(Date.now() + 100));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await a.isRevoked('s1')).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await a.isRevoked('s1')).toBe(false);
  });
});

describe('redisLoginThrottle', () => {
  it('failures for one username on different nodes add up to one lock', async () => {
    const username = unique();
    const [a, b] = [redisLoginThrottle(nodeA, { maxFailures: 4, lockoutMs: 60_000 }), redisLoginThrottle(nodeB, { maxFailures: 4, lockoutMs: 60_000 })];
    for (const node of [a, b, a]) await node.failed(username);
    expect(await b.retryAfterMs(username)).toBe(0);
    await b.failed(username);
    expect(await a.retryAfterMs(username)).toBeGreaterThan(0);
    await a.succeeded(username);
    expect(await b.retryAfterMs(username)).toBe(0);
  });
});
