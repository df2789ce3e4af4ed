import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './test/testServer.js';

const HTML = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const INDEX = '<!doctype html><title>Parley test page</title><div id="root"></div>';

describe('the web app and its addresses (history fallback)', () => {
  let server: TestServer;
  let dist: string;

  beforeAll(async () => {
    dist = mkdtempSync(path.join(os.tmpdir(), 'parley-spa-'));
    mkdirSync(path.join(dist, 'assets'));
    writeFileSync(path.join(dist, 'index.html'), INDEX);
    writeFileSync(path.join(dist, 'assets', 'app.js'), 'console.log(1)');
    server = await startTestServer({ webDistDir: dist });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dist, { recursive: true, force: true });
  });

  const get = (urlPath: string, accept?: string) =>
    fetch(`${server.url}${urlPath}`, { headers: accept ? { accept } : {} });

  it.each(['/', '/chat/bob_okafor', '/chat/bob_okafor?x=1', '/anything/else'])('answers a browser asking for %s with the app', async (urlPath) => {
    const response = await get(urlPath, HTML);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    expect(await response.text()).toBe(INDEX);
  });

  it('answers the root with the app whatever the Accept header', async () => {
    for (const accept of [undefined, '*/*', 'application/json']) {
      const response = await get('/', accept);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe(INDEX);
    }
  });

  it('serves the built files themselves', async () => {
    const response = await get('/assets/app.js', '*/*');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('console.log(1)');
  });

  it('answers 404, not the page, for a missing file or a request that does not ask for HTML', async () => {
    expect((await get('/assets/missing.js', '*/*')).status).toBe(404);
    expect((await get('/chat/bob', 'application/json')).status).toBe(404);
    expect((await get('/chat/bob')).status).toBe(404);
  });

  it('never answers /api or /socket.io paths with the page', async () => {
    const api = await get('/api/nothing-here', HTML);
    expect(api.status).toBe(404);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    const socketPath = await get('/socket.io/unknown', HTML);
    expect(await socketPath.text()).not.toBe(INDEX);
    expect((await get('/api', HTML)).status).toBe(404);
  });
});
