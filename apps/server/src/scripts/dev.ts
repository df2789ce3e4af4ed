import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { connectDatabase } from '../db/connect.js';
import { DEMO_USERS, describeSeed, seedDemoUsers } from './seed.js';
import { REPO_ROOT, dataDir, loadDotEnv, redactUri, resolveDatabase, type ResolvedDatabase } from './common.js';

/**
 * `pnpm dev`: one command for the whole stack on a developer's machine.
 *   1. loads `.env` when present;
 *   2. uses MONGODB_URI, or starts the local database once (mongod / FerretDB / ...) in `.data/db`;
 *   3. seeds the demo users (alice and bob, password parley-demo) when missing;
 *   4. runs the API (`tsx watch`, port 3000) and the web dev server (Vite, port 5173, which proxies
 *      /api and /socket.io to the API) and prints the URLs to open;
 *   5. on Ctrl-C / SIGTERM stops both, then the database.
 */

const API_PORT = Number(process.env.PORT ?? 3000);
const WEB_PORT_DEFAULT = 5173;
const STOP_TIMEOUT_MS = 10_000;

const colors = { db: 33, api: 36, web: 35, dev: 32 } as const;
function say(tag: keyof typeof colors, line: string): void {
  const prefix = process.stdout.isTTY ? `\x1b[${colors[tag]}m[${tag}]\x1b[0m` : `[${tag}]`;
  console.log(`${prefix} ${line}`);
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

interface Child {
  name: 'api' | 'web';
  proc: ChildProcess;
}

const children: Child[] = [];
let database: ResolvedDatabase | undefined;
let stopping = false;
let webUrl = `http://localhost:${WEB_PORT_DEFAULT}`;

function lanUrls(port: number): string[] {
  return Object.values(os.networkInterfaces())
    .flat()
    .filter((info) => info && info.family === 'IPv4' && !info.internal)
    .map((info) => `http://${info!.address}:${port}`);
}

function run(name: Child['name'], args: string[], env: NodeJS.ProcessEnv, onLine?: (line: string) => void): Child {
  // Its own process group (detached), so stopping kills pnpm, tsx/vite and their children together.
  const proc = spawn('pnpm', args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const forward = (chunk: Buffer) => {
    for (const raw of chunk.toString().split('\n')) {
      if (!raw.trim()) continue;
      say(name, raw);
      onLine?.(raw.replace(ANSI, ''));
    }
  };
  proc.stdout?.on('data', forward);
  proc.stderr?.on('data', forward);
  proc.on('exit', (code, signal) => {
    if (stopping) return;
    say('dev', `${name} exited (${signal ?? `code ${code}`}); stopping everything`);
    void stop(1);
  });
  const child = { name, proc };
  children.push(child);
  return child;
}

function killGroup(proc: ChildProcess, signal: NodeJS.Signals): void {
  if (proc.pid === undefined || proc.exitCode !== null || proc.signalCode !== null) return;
  try {
    process.kill(-proc.pid, signal);
  } catch {
    try {
      proc.kill(signal);
    } catch {
      // already gone
    }
  }
}

async function stop(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    say('dev', 'stopping...');
    await Promise.all(
      children.map(
        ({ proc }) =>
          new Promise<void>((resolve) => {
            if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
            const timer = setTimeout(() => killGroup(proc, 'SIGKILL'), STOP_TIMEOUT_MS);
            proc.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            killGroup(proc, 'SIGTERM');
          }),
      ),
    );
    if (database?.local) {
      say('db', `stopping the local ${database.local.kind}`);
      await database.local.stop().catch(() => {});
    }
    say('dev', 'stopped');
  }
  process.exit(code);
}

async function waitFor(url: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !stopping) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return true;
    } catch {
      // not yet
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  return false;
}

async function main(): Promise<void> {
  process.on('SIGINT', () => void stop(130));
  process.on('SIGTERM', () => void stop(143));

  const envFile = loadDotEnv();
  if (envFile) say('dev', `loaded ${path.relative(REPO_ROOT, envFile)}`);

  const data = dataDir();
  if (process.env.MONGODB_URI) say('db', `using MONGODB_URI ${redactUri(process.env.MONGODB_URI)}`);
  else say('db', `no MONGODB_URI: starting a local database in ${path.join(data, 'db')} (first run may take a few minutes)`);
  database = await resolveDatabase((line) => say('db', line));
  if (stopping) return;

  const db = await connectDatabase(database.uri, { timeoutMs: 5000 });
  try {
    say('db', describeSeed(await seedDemoUsers(db)));
  } finally {
    await db.close();
  }

  // Colours only on a terminal (picocolors turns them on for any FORCE_COLOR, even 0).
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  if (process.stdout.isTTY) childEnv.FORCE_COLOR = '1';
  else {
    delete childEnv.FORCE_COLOR;
    childEnv.NO_COLOR = '1';
  }
  run('api', ['--filter', '@parley/server', 'dev'], {
    ...childEnv,
    PORT: String(API_PORT),
    DATA_DIR: data,
    MONGODB_URI: database.uri,
    // The API's output is piped through here (not a TTY): ask for the readable log format.
    LOG_FORMAT: process.env.LOG_FORMAT ?? 'pretty',
  });
  run('web', ['--filter', '@parley/web', 'dev'], { ...childEnv, PARLEY_API_URL: process.env.PARLEY_API_URL ?? `http://127.0.0.1:${API_PORT}` }, (line) => {
    const match = /Local:\s+(http:\/\/\S+?)\/?$/.exec(line);
    if (match?.[1]) webUrl = match[1];
  });

  const [apiUp, webUp] = await Promise.all([
    waitFor(`http://127.0.0.1:${API_PORT}/api/health`, 120_000),
    waitFor(`http://127.0.0.1:${WEB_PORT_DEFAULT}/`, 120_000).then(async (up) => up || waitFor(`${webUrl}/`, 5000)),
  ]);
  if (stopping) return;
  if (!apiUp) say('dev', `the API did not answer on http://127.0.0.1:${API_PORT}/api/health yet; see [api] above`);
  if (!webUp) say('dev', 'the web dev server did not answer yet; see [web] above');

  const port = Number(new URL(webUrl).port || WEB_PORT_DEFAULT);
  const lines = [
    '',
    'Parley is running. Open:',
    `  ${webUrl.replace('127.0.0.1', 'localhost')}`,
    ...lanUrls(port).map((url) => `  ${url}   (other devices on your network)`),
    `Sign in as ${DEMO_USERS.map((user) => user.username).join(' or ')} with password parley-demo`,
    '(use two browsers, or a private window, to be both). Ctrl-C stops everything.',
    '',
  ];
  for (const line of lines) say('dev', line);
}

main().catch((error: unknown) => {
  say('dev', `failed: ${error instanceof Error ? error.message : String(error)}`);
  void stop(1);
});
