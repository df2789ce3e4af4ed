import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../lib/freePort.js';

/**
 * A database on this machine that needs no set-up, for `pnpm dev` and the tests. Tried in order:
 * a `mongod` on PATH, a `ferretdb` on PATH (or in Parley's cache), mongodb-memory-server's
 * one-time download, and, where Go exists, FerretDB built once. Data stays in `dataDir`.
 */
export interface LocalDatabase {
  kind: 'mongod' | 'ferretdb' | 'mongodb-memory-server';
  uri: string;
  /** Stops the process; the data stays. */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same data (after stop). */
  start(): Promise<void>;
}

export interface LocalDatabaseOptions {
  dataDir: string;
  port?: number;
  log?: (line: string) => void;
}

const FERRETDB_CACHE_BIN = path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'parley', 'bin');
const BUILD_FERRETDB_SCRIPT = fileURLToPath(new URL('../../../../scripts/build-ferretdb.sh', import.meta.url));

function findOnPath(name: string, extraDirs: string[] = []): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), ...extraDirs].filter(Boolean);
  for (const dir of dirs) {
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the database process exited with code ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => socket.end(() => resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the database did not open port ${port} within ${timeoutMs} ms`);
}

/** A database that is a child process of ours: mongod or ferretdb. */
async function processDatabase(
  kind: 'mongod' | 'ferretdb',
  binary: string,
  args: (port: number) => string[],
  options: LocalDatabaseOptions,
): Promise<LocalDatabase> {
  const port = options.port ?? (await freePort());
  let child: ChildProcess | undefined;

  async function start(): Promise<void> {
    const proc = spawn(binary, args(port), { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    proc.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child = proc;
    try {
      await waitForPort(port, proc);
    } catch (error) {
      proc.kill('SIGKILL');
      throw new Error(`${kind} did not start: ${(error as Error).message}\n${stderr}`);
    }
  }

  async function stop(): Promise<void> {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill('SIGTERM');
      setTimeout(() => proc.kill('SIGKILL'), 5000).unref();
    });
  }

  await start();
  return { kind, uri: `mongodb://127.0.0.1:${port}/`, start, stop };
}

/** The cause of a failed download in a few words (DownloadError's message spans lines; its `msg` is the cause). */
function shortCause(error: unknown): string {
  const { msg, message } = error as { msg?: unknown; message?: unknown };
  if (typeof msg === 'string' && msg) return msg;
  const lines = String(message ?? error).split('\n').map((line) => line.trim()).filter(Boolean);
  return lines[0] ?? 'unknown error';
}

async function memoryServerDatabase(options: LocalDatabaseOptions): Promise<LocalDatabase> {
  const { MongoBinary, MongoMemoryServer } = await import('mongodb-memory-server-core');
  const dbPath = path.join(options.dataDir, 'mongodb');
  mkdirSync(dbPath, { recursive: true });
  options.log?.('Starting mongodb-memory-server (downloads MongoDB once, ~100 MB)...');
  // Fetch the binary first: a failed download inside create() prints a long stack trace of its own.
  try {
    await MongoBinary.getPath();
  } catch (error) {
    throw new Error(`could not download MongoDB (${shortCause(error)})`);
  }
  const server = await MongoMemoryServer.create({
    instance: { dbPath, storageEngine: 'wiredTiger', ip: '127.0.0.1', ...(options.port ? { port: options.port } : {}) },
  });
  return {
    kind: 'mongodb-memory-server',
    uri: server.getUri().replace(/\/[^/]*$/, '/'),
    async stop() {
      await server.stop({ doCleanup: false, force: false });
    },
    async start() {
      await server.start(true);
    },
  };
}

function ferretDatabase(binary: string, options: LocalDatabaseOptions): Promise<LocalDatabase> {
  const dir = path.join(options.dataDir, 'ferretdb');
  mkdirSync(dir, { recursive: true });
  return processDatabase(
    'ferretdb',
    binary,
    (port) => [
      '--handler=sqlite',
      `--sqlite-url=file:${dir}/`,
      `--listen-addr=127.0.0.1:${port}`,
      '--debug-addr=-',
      `--state-dir=${dir}`,
      '--telemetry=disable',
      '--log-level=error',
    ],
    options,
  );
}

export async function startLocalDatabase(options: LocalDatabaseOptions): Promise<LocalDatabase> {
  mkdirSync(options.dataDir, { recursive: true });
  const log = options.log ?? (() => {});

  const mongod = findOnPath('mongod');
  if (mongod) {
    const dbPath = path.join(options.dataDir, 'mongod');
    mkdirSync(dbPath, { recursive: true });
    log(`Using mongod at ${mongod}`);
    return processDatabase('mongod', mongod, (port) => ['--dbpath', dbPath, '--port', String(port), '--bind_ip', '127.0.0.1', '--quiet'], options);
  }

  const go = findOnPath('go', ['/usr/local/go/bin']);
  const ferretdb = findOnPath('ferretdb', [FERRETDB_CACHE_BIN]);
  // Our own build, from an older patch set: the script rebuilds it (and returns at once otherwise).
  if (ferretdb && go && path.dirname(ferretdb) === FERRETDB_CACHE_BIN) {
    spawnSync('bash', [BUILD_FERRETDB_SCRIPT, FERRETDB_CACHE_BIN], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  // A plain `go install` of FerretDB builds a binary that panics at start: check before use.
  if (ferretdb && spawnSync(ferretdb, ['--version']).status === 0) {
    log(`Using FerretDB at ${ferretdb}`);
    return ferretDatabase(ferretdb, options);
  }

  const problems: string[] = [];
  if (process.env.PARLEY_SKIP_MEMORY_SERVER !== '1') {
    try {
      return await memoryServerDatabase(options);
    } catch (error) {
      const problem = `mongodb-memory-server ${shortCause(error)}`;
      problems.push(problem);
      // One line that says what happens next, not a stack trace.
      const next = go ? 'next: a FerretDB build with Go' : 'no other local database to try (see below)';
      log(`${problem}; ${next} (PARLEY_SKIP_MEMORY_SERVER=1 skips this step)`);
    }
  }

  if (go) {
    log('Building FerretDB with Go (once; a few minutes)...');
    const built = spawnSync('bash', [BUILD_FERRETDB_SCRIPT, FERRETDB_CACHE_BIN], { stdio: 'inherit' });
    const binary = path.join(FERRETDB_CACHE_BIN, 'ferretdb');
    if (built.status === 0 && existsSync(binary)) return ferretDatabase(binary, options);
    problems.push('building FerretDB with Go failed (see above)');
  } else {
    problems.push('Go is not installed, so FerretDB could not be built');
  }

  throw new Error(
    [
      'No database is available for Parley. Tried:',
      ...problems.map((problem) => `  - ${problem}`),
      'Do one of these, then run the command again:',
      '  - set MONGODB_URI to a MongoDB 6+ server (e.g. `docker compose up -d mongo` and MONGODB_URI=mongodb://127.0.0.1:27017/parley)',
      '  - put `mongod` (MongoDB 6+) on your PATH',
      '  - install Go (https://go.dev/dl) and run `bash scripts/build-ferretdb.sh`',
    ].join('\n'),
  );
}
