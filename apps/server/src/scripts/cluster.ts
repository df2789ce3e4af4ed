import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { HaproxyProcess } from '../cluster/haproxy.js';
import { RedisProcess } from '../cluster/redisServer.js';
import { parseEnv } from '../config.js';
import { connectDatabase } from '../db/connect.js';
import { freePort } from '../lib/freePort.js';
import { resolveJwtSecret } from '../secrets.js';
import { DEMO_USERS, describeSeed, seedDemoUsers } from './seed.js';
import { REPO_ROOT, loadDotEnv, resolveDatabase, type ResolvedDatabase } from './common.js';

/**
 * `pnpm cluster [--nodes 3] [--port 8080]`: Parley as several nodes on one machine, to try it.
 *   1. the database as `pnpm dev` picks it (MONGODB_URI, else the local one in .data/db);
 *   2. a `redis-server` of its own on a free loopback port (nothing persisted);
 *   3. N server processes (src/main.ts) sharing both, each on a free port, serving the built web
 *      app (run `pnpm build` first to have one);
 *   4. HAProxy with deploy/haproxy.cfg in front of them on --port, and prints that address.
 * Ctrl-C stops the nodes (gracefully), HAProxy, Redis, then the database.
 */

const STOP_TIMEOUT_MS = 15_000;
const SERVER_ROOT = path.join(REPO_ROOT, 'apps', 'server');
const WEB_DIST = path.join(REPO_ROOT, 'apps', 'web', 'dist');

const say = (line: string) => console.log(`[cluster] ${line}`);

const children: ChildProcess[] = [];
let haproxy: HaproxyProcess | undefined;
let redis: RedisProcess | undefined;
let database: ResolvedDatabase | undefined;
let stopping = false;

function waitForExit(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}

async function stop(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    say('stopping...');
    await haproxy?.stop().catch(() => undefined);
    // Nodes first (they drain and close their Redis links), Redis last.
    await Promise.all(children.map((child) => waitForExit(child, 'SIGTERM')));
    await redis?.stop();
    if (database?.local) await database.local.stop().catch(() => undefined);
    say('stopped');
  }
  process.exit(code);
}

function watch(child: ChildProcess, name: string): void {
  children.push(child);
  child.on('exit', (code, signal) => {
    if (stopping) return;
    say(`${name} exited (${signal ?? `code ${code}`}); stopping everything`);
    void stop(1);
  });
}

async function waitForHealth(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !stopping) {
    try {
      if ((await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2000) })).ok) return;
    } catch {
      // not yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not become healthy`);
}

async function main(): Promise<void> {
  process.on('SIGINT', () => void stop(130));
  process.on('SIGTERM', () => void stop(143));
  const { values } = parseArgs({
    options: { nodes: { type: 'string', default: '3' }, port: { type: 'string', default: '8080' } },
  });
  const nodeCount = Number(values.nodes);
  const port = Number(values.port);
  if (!Number.isInteger(nodeCount) || nodeCount < 1 || nodeCount > 16) throw new Error('--nodes must be 1-16');
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error('--port must be a port number');

  loadDotEnv();
  database = await resolveDatabase(say);
  const db = await connectDatabase(database.uri, { timeoutMs: 5000 });
  try {
    say(describeSeed(await seedDemoUsers(db)));
  } finally {
    await db.close();
  }
  // One secret for every node: a token signed by one is accepted by all.
  const jwtSecret = resolveJwtSecret(parseEnv(process.env), pino({ level: 'error' }));

  redis = new RedisProcess(await freePort());
  await redis.start();
  redis.onUnexpectedExit((code) => {
    if (stopping) return;
    say(`redis-server exited (code ${code}); stopping everything`);
    void stop(1);
  });
  say(`redis-server on 127.0.0.1:${redis.port}`);

  const nodes = await Promise.all(Array.from({ length: nodeCount }, async (_, index) => ({ name: `node${index + 1}`, port: await freePort() })));
  for (const node of nodes) {
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@parley/source', 'src/main.ts'], {
      cwd: SERVER_ROOT,
      env: {
        ...process.env,
        HOST: '127.0.0.1',
        PORT: String(node.port),
        MONGODB_URI: database.uri,
        REDIS_URL: redis.url,
        JWT_SECRET: jwtSecret,
        // Behind one proxy hop: client addresses (rate limits) come from X-Forwarded-For.
        TRUST_PROXY: '1',
        WEB_DIST_DIR: WEB_DIST,
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    watch(child, node.name);
  }
  await Promise.all(nodes.map((node) => waitForHealth(`http://127.0.0.1:${node.port}`, 120_000)));
  say(`${nodeCount} nodes: ${nodes.map((node) => `${node.name} 127.0.0.1:${node.port}`).join(', ')}`);

  haproxy = new HaproxyProcess(port, nodes, { onOutput: (line) => say(`haproxy: ${line}`) });
  await haproxy.start();
  const lines = [
    '',
    `Parley is running as ${nodeCount} nodes behind HAProxy. Open:`,
    `  http://localhost:${port}`,
    existsSync(WEB_DIST) ? '' : '  (no web build yet: run `pnpm build` first for the app; the API works without it)',
    `Sign in as ${DEMO_USERS.map((user) => user.username).join(' or ')} with password parley-demo. Ctrl-C stops everything.`,
    '',
  ];
  for (const line of lines) say(line);
}

main().catch((error: unknown) => {
  say(`failed: ${error instanceof Error ? error.message : String(error)}`);
  void stop(1);
});
