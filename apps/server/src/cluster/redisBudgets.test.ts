import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOORS, type BudgetConfig } from '../lib/budgets.js';
import { freePort } from '../lib/freePort.js';
import { redisBudgets } from './redisBudgets.js';
import { RedisProcess } from './redisServer.js';

// Two nodes' budgets on one Redis of this file's own: one user's spending adds up across them.

let server: RedisProcess;
let nodeA: Redis;
let nodeB: Redis;
beforeAll(async () => {
  server = new RedisProcess(await freePort());
  await server.start();
  // As a node's link is (cluster/redisLink.ts): no offline queue.
  [nodeA, nodeB] = [new Redis(server.url), new Redis(server.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 })];
  // Until a link is ready the budgets count in memory (the insurance): wait, as main.ts does.
  for (const node of [nodeA, nodeB]) if (node.status !== 'ready') await new Promise((resolve) => node.once('ready', resolve));
});
afterAll(async () => {
  await Promise.all([nodeA?.quit(), nodeB?.quit().catch(() => undefined)]);
  await server?.kill();
});

const config = Object.fromEntries(DOORS.map((door) => [door, { perSecond: 0.01, burst: 4 }])) as BudgetConfig;

describe('redisBudgets', () => {
  it('one user spends one budget across nodes; other users and doors are untouched', async () => {
    const prefix = `test:${randomBytes(6).toString('hex')}`;
    const [a, b] = [redisBudgets(nodeA, config, prefix), redisBudgets(nodeB, config, prefix)];
    const allowed = [];
    for (const node of [a, b, a, b, a, b]) allowed.push((await node.take('u1', 'send_message')).allowed);
    expect(allowed).toEqual([true, true, true, true, false, false]);
    const refused = await b.take('u1', 'send_message');
    expect(refused.allowed === false && refused.retryAfterMs).toBeGreaterThan(0);
    expect((await a.take('u2', 'send_message')).allowed).toBe(true);
    expect((await a.take('u1', 'rest')).allowed).toBe(true);
  });

  it('with Redis gone a node counts in its own memory instead of failing or refusing everyone', async () => {
    const prefix = `test:${randomBytes(6).toString('hex')}`;
    const lonely = new Redis(`redis://127.0.0.1:${await freePort()}`, { enableOfflineQueue: false, lazyConnect: true, maxRetriesPerRequest: 0 });
    const budgets = redisBudgets(lonely, config, prefix);
    const allowed = [];
    for (let i = 0; i < 5; i += 1) allowed.push((await budgets.take('u1', 'rest')).allowed);
    expect(allowed).toEqual([true, true, true, true, false]);
    lonely.disconnect();
  });
});
