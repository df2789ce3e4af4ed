import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SendMessageAck } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalDatabase, type LocalDatabase } from '../../db/localDatabase.js';
import { connectedPair, conversationWith, sleep, type RecordingSocket, type TestUser } from '../../test/clients.js';
import { startTestServer, type TestServer } from '../../test/testServer.js';

// A database of this file's own, so stopping it disturbs no other test.
let database: LocalDatabase;
let dataDir: string;
let server: TestServer;
let a: TestUser;
let b: TestUser;
let aSocket: RecordingSocket;
let bSocket: RecordingSocket;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'parley-outage-'));
  database = await startLocalDatabase({ dataDir });
  server = await startTestServer({}, { uri: database.uri, dbTimeoutMs: 1000 });
  ({ a, b, aSocket, bSocket } = await connectedPair(server.url));
});
afterAll(async () => {
  aSocket.close();
  bSocket.close();
  await server.close();
  await database.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const send = (content: string, clientMessageId?: string): Promise<SendMessageAck> =>
  aSocket.socket.timeout(15_000).emitWithAck('send_message', { receiverId: b.user.id, content, ...(clientMessageId ? { clientMessageId } : {}) });

describe('the database stops', () => {
  it('fails sends fast with STORE_UNAVAILABLE and emits nothing, then succeeds once it is back', async () => {
    expect((await send('before')).ok).toBe(true);
    await bSocket.waitFor('new_message', 1);

    await database.stop();
    const started = Date.now();
    const failed = await send('during', 'outage-message-1');
    expect(failed).toEqual({ ok: false, error: expect.objectContaining({ code: 'STORE_UNAVAILABLE' }) });
    expect(JSON.stringify(failed)).not.toMatch(/Mongo|ECONNREFUSED|stack/);
    expect(Date.now() - started).toBeLessThan(5000);
    const health = await fetch(`${server.url}/api/health`);
    expect(health.status).toBe(503);
    // Out of rotation while the database is gone, but alive: no restart would help.
    const ready = await fetch(`${server.url}/api/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'not_ready', checks: { database: 'down' } });
    expect((await fetch(`${server.url}/api/health/live`)).status).toBe(200);
    await sleep(200);
    expect(bSocket.events('new_message')).toHaveLength(1);
    expect(aSocket.events('new_message')).toHaveLength(1);

    await database.start();
    // The driver reconnects by itself; the client retries with the same id until it lands.
    let retried: SendMessageAck = failed;
    for (let attempt = 0; attempt < 40 && !retried.ok; attempt += 1) {
      await sleep(250);
      retried = await send('during', 'outage-message-1');
    }
    expect(retried.ok).toBe(true);
    expect((await fetch(`${server.url}/api/health/ready`)).status).toBe(200);
    await bSocket.waitFor('new_message', 2);
    expect((await conversationWith(server.url, a, b.user.id)).map((message) => message.content)).toEqual(['before', 'during']);
  });
});
