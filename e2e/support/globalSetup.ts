import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { chromium, type BrowserServer } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH, PRESENCE_GRACE_MS } from './constants.js';
import { startLocalDatabase, type LocalDatabase } from '../../apps/server/src/db/localDatabase.js';
import { freePort } from '../../apps/server/src/lib/freePort.js';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    browserWsEndpoint: string;
  }
}

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const SERVER_MAIN = path.join(REPO, 'apps/server/dist/main.js');
const WEB_DIST = path.join(REPO, 'apps/web/dist');
export const SCREENSHOT_DIR = path.join(REPO, 'e2e/screenshots');

async function waitForHealth(baseUrl: string, child: ChildProcess, output: () => string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode} before it was healthy:\n${output()}`);
    try {
      const response = await fetch(`${baseUrl}/api/health`);
      if (response.ok) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`GET ${baseUrl}/api/health did not answer 200 within ${timeoutMs} ms (${last}):\n${output()}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * One database and one production server for the whole e2e run. The server is the built
 * `apps/server/dist/main.js` serving the built web app, exactly as deployed.
 */
export default async function setup(project: TestProject) {
  for (const [file, hint] of [
    [SERVER_MAIN, 'pnpm build'],
    [path.join(WEB_DIST, 'index.html'), 'pnpm build'],
  ] as const) {
    if (!existsSync(file)) throw new Error(`${path.relative(REPO, file)} is missing: run \`${hint}\` first (or \`pnpm test:e2e\`)`);
  }
  mkdirSync(SCREENSHOT_DIR, { recursive: true });

  let database: LocalDatabase | undefined;
  let dataDir: string | undefined;
  let server: ChildProcess | undefined;
  let browserServer: BrowserServer | undefined;

  const teardown = async () => {
    await browserServer?.close().catch(() => undefined);
    if (server) await stopChild(server);
    await database?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    let uri = process.env.MONGODB_URI;
    if (!uri) {
      dataDir = mkdtempSync(path.join(os.tmpdir(), 'parley-e2e-db-'));
      database = await startLocalDatabase({ dataDir, log: (line) => console.log(`[e2e db] ${line}`) });
      uri = database.uri;
    }
    // Our own database name on that server: drop whatever path the URI had and use parley_e2e.
    const mongoUrl = new URL(uri);
    mongoUrl.pathname = '/parley_e2e';

    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    let output = '';
    server = spawn(process.execPath, [SERVER_MAIN], {
      cwd: REPO,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        PORT: String(port),
        HOST: '127.0.0.1',
        MONGODB_URI: mongoUrl.toString(),
        JWT_SECRET: randomBytes(48).toString('base64url'),
        WEB_DIST_DIR: WEB_DIST,
        PRESENCE_GRACE_MS: String(PRESENCE_GRACE_MS),
        AUTH_RATE_LIMIT_MAX: '1000',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-8000);
    };
    server.stdout?.on('data', collect);
    server.stderr?.on('data', collect);
    // Say so when the server dies in the middle of the run: tests would only see timeouts.
    server.once('exit', (code, signal) => {
      if (code !== 0 && signal !== 'SIGTERM') console.error(`[e2e server] exited (code ${code}, signal ${signal}):\n${output}`);
    });

    // One Chromium for the run (each file connects to it and makes its own contexts).
    if (!existsSync(CHROMIUM_PATH)) throw new Error(`${CHROMIUM_PATH} is missing: apt-get install -y chromium`);
    browserServer = await chromium.launchServer({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });

    await waitForHealth(baseUrl, server, () => output);
    project.provide('baseUrl', baseUrl);
    project.provide('browserWsEndpoint', browserServer.wsEndpoint());
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}
