import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../lib/freePort.js';
import { describePresenceStoreContract } from '../test/presenceStoreContract.js';
import { RedisPresenceStore } from './redisPresenceStore.js';
import { RedisProcess } from './redisServer.js';

// The PresenceStore contract against Redis (a redis-server of this file's own, a fresh key prefix
// per store), then what only several nodes can do: reaping a silent node, and coming back.

let server: RedisProcess;
let redis: Redis;
beforeAll(async () => {
  server = new RedisProcess(await freePort());
  await server.start();
  redis = new Redis(server.url);
});
afterAll(async () => {
  await redis?.quit();
  await server?.kill();
});

const uniquePrefix = () => `test:${randomBytes(6).toString('hex')}:{presence}:`;

describePresenceStoreContract('RedisPresenceStore', async ({ graceMs }) =>
  new RedisPresenceStore(redis, { graceMs, nodeId: 'node-a', nodeTimeoutMs: 15_000, prefix: uniquePrefix() }),
);

describe('RedisPresenceStore across nodes', () => {
  const TIMEOUT = 400;
  function nodes(...ids: string[]) {
    const prefix = uniquePrefix();
    const reaped: number[] = [];
    const stores = ids.map(
      (nodeId) => new RedisPresenceStore(redis, { graceMs: 1000, nodeId, nodeTimeoutMs: TIMEOUT, prefix, onReaped: (count) => reaped.push(count) }),
    );
    return Object.assign(stores, { reaped });
  }
  const silentFor = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('a user with tabs on two nodes comes online once and stays online while either tab is open', async () => {
    const [a, b] = nodes('node-a', 'node-b');
    expect(await a!.connect('u1', 's1', { shows: true })).toEqual({ cameOnline: true });
    expect(await b!.connect('u1', 's2', { shows: true })).toEqual({ cameOnline: false });
    expect(await b!.socketCount('u1')).toBe(2);
    expect(await a!.disconnect('u1', 's1', { explicit: false, now: Date.now() })).toEqual({ wentOffline: false, leavingAt: null });
    expect(await b!.onlineAmong(['u1'])).toEqual(['u1']);
    expect((await b!.disconnect('u1', 's2', { explicit: false, now: 1000 })).leavingAt).toBe(2000);
  });

  it('a silent node is reaped by exactly one of the live nodes: its users with no other socket are offline once', async () => {
    const stores = nodes('node-dead', 'node-b', 'node-c');
    const [dead, b, c] = stores;
    await Promise.all([dead!.beat(), b!.beat(), c!.beat()]);
    await dead!.connect('only-dead', 's1', { shows: true });
    await dead!.connect('both', 's2', { shows: true });
    await b!.connect('both', 's3', { shows: true });
    await silentFor(TIMEOUT + 100);
    await Promise.all([b!.beat(), c!.beat()]);
    const [byB, byC] = await Promise.all([b!.expireDue(Date.now()), c!.expireDue(Date.now())]);
    expect([...byB, ...byC]).toEqual(['only-dead']);
    expect(stores.reaped).toEqual([2]);
    expect(await b!.expireDue(Date.now())).toEqual([]);
    expect(await c!.onlineAmong(['only-dead', 'both'])).toEqual(['both']);
    // The dead node's late disconnects change nothing.
    expect(await dead!.disconnect('both', 's2', { explicit: true, now: Date.now() })).toEqual({ wentOffline: false, leavingAt: null });
    expect(await c!.onlineAmong(['both'])).toEqual(['both']);
  });

  it('a node that was reaped finds out at its next beat and its sockets register again', async () => {
    const [paused, b] = nodes('node-paused', 'node-b');
    expect(await paused!.beat()).toBe(false); // first beat: unknown until now
    expect(await paused!.beat()).toBe(true);
    await paused!.connect('u1', 's1', { shows: true });
    await silentFor(TIMEOUT + 100);
    await b!.beat();
    expect(await b!.expireDue(Date.now())).toEqual(['u1']);
    expect(await paused!.beat()).toBe(false);
    expect(await paused!.connect('u1', 's1', { shows: true })).toEqual({ cameOnline: true });
    expect(await b!.onlineAmong(['u1'])).toEqual(['u1']);
  });

  it('a node never reaps itself', async () => {
    const [alone] = nodes('node-alone');
    await alone!.beat();
    await alone!.connect('u1', 's1', { shows: true });
    await silentFor(TIMEOUT + 100);
    expect(await alone!.expireDue(Date.now())).toEqual([]);
    expect(await alone!.onlineAmong(['u1'])).toEqual(['u1']);
  });
});
