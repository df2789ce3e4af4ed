import { afterAll, beforeAll, inject } from 'vitest';
import { freePort } from '../lib/freePort.js';
import { RedisProcess } from '../cluster/redisServer.js';
import type { RecordingSocket } from './clients.js';
import { ServerProcess } from './serverProcess.js';
import { uniqueDbName } from './testServer.js';

export interface TestCluster {
  redis: RedisProcess;
  nodes: ServerProcess[];
  /** The database every node shares (a fresh one per cluster). */
  mongodbUri: string;
  /** Starts one more node on the same database and Redis. */
  addNode(env?: Record<string, string>): Promise<ServerProcess>;
  close(): Promise<void>;
}

/**
 * `count` real server processes (src/main.ts) on 127.0.0.1, sharing one database of their own
 * and one `redis-server` of their own (so a test may kill or restart either). Every node gets
 * `env` on top of the test defaults.
 */
export async function startTestCluster(count: number, env: Record<string, string> = {}): Promise<TestCluster> {
  const redis = new RedisProcess(await freePort());
  await redis.start();
  const mongodbUri = `${inject('mongoUri')}${uniqueDbName()}`;
  const nodes: ServerProcess[] = [];
  const makeNode = async (extra: Record<string, string> = {}) => {
    const node = new ServerProcess(await freePort(), { MONGODB_URI: mongodbUri, REDIS_URL: redis.url, PRESENCE_GRACE_MS: '300', ...env, ...extra });
    nodes.push(node);
    return node;
  };
  try {
    // The first node alone creates the indexes; the others then start together.
    await (await makeNode()).start();
    const rest = await Promise.all(Array.from({ length: count - 1 }, () => makeNode()));
    await Promise.all(rest.map((node) => node.start()));
  } catch (error) {
    await Promise.all(nodes.map((node) => node.kill()));
    await redis.kill();
    throw error;
  }
  return {
    redis,
    nodes,
    mongodbUri,
    async addNode(extra) {
      const node = await makeNode(extra);
      await node.start();
      return node;
    },
    async close() {
      await Promise.all(nodes.map((node) => node.kill()));
      await redis.kill();
    },
  };
}

/**
 * One cluster for a whole test file, started before its tests and closed after them, together
 * with every socket pushed to `opened`.
 */
export function clusterForThisFile(count: number, env: Record<string, string> = {}) {
  let current: TestCluster | undefined;
  const opened: RecordingSocket[] = [];
  beforeAll(async () => {
    current = await startTestCluster(count, env);
  }, 120_000);
  afterAll(async () => {
    for (const socket of opened) socket.close();
    await current?.close();
  });
  return {
    get cluster(): TestCluster {
      if (!current) throw new Error('the cluster starts in beforeAll');
      return current;
    },
    opened,
  };
}
