import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { startLocalDatabase } from '../../db/localDatabase.js';
import { conversationWith, registerUser, sleep, type TestUser } from '../../test/clients.js';
import { ReliableClient } from '../../test/reliableClient.js';
import { freePort } from '../../lib/freePort.js';
import { ServerProcess } from '../../test/serverProcess.js';
import { startTestServer, uniqueDbName } from '../../test/testServer.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function expectEachExactlyOnce(receiver: ReliableClient, sender: TestUser, expected: string[]): void {
  expect(receiver.contentsFrom(sender.user.id)).toEqual(expected);
  for (const count of receiver.liveDeliveries.values()) expect(count).toBe(1);
}

/** A fresh in-process server and two reliable clients, both caught up. */
async function settledPairOnTestServer() {
  const server = await startTestServer();
  cleanups.push(() => server.close());
  const [a, b] = [await registerUser(server.url), await registerUser(server.url)];
  const [alice, bob] = [new ReliableClient(server.url, a), new ReliableClient(server.url, b)];
  cleanups.push(() => alice.close(), () => bob.close());
  await Promise.all([alice.settle(), bob.settle()]);
  return { a, b, alice, bob };
}

const numbered = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix} ${i}`);

describe('fault injection: nothing lost, nothing doubled', { timeout: 180_000 }, () => {
  it('1. the server process is killed and restarted twice while two clients exchange 1,000 messages', async () => {
    const dbName = uniqueDbName();
    const uri = inject('mongoUri');
    const server = new ServerProcess(await freePort(), { MONGODB_URI: `${uri}${dbName}`, PRESENCE_GRACE_MS: '200' });
    await server.start();
    cleanups.push(async () => void (await server.stop()));
    const [a, b] = [await registerUser(server.url), await registerUser(server.url)];
    const [alice, bob] = [new ReliableClient(server.url, a), new ReliableClient(server.url, b)];
    cleanups.push(() => alice.close(), () => bob.close());

    const PER_SIDE = 500;
    let sent = 0;
    const stream = async (from: ReliableClient, to: TestUser, prefix: string) => {
      for (let i = 0; i < PER_SIDE; i += 1) {
        await from.send(to.user.id, `${prefix} ${i}`, `${prefix}-msg-${String(i).padStart(4, '0')}`);
        sent += 1;
      }
    };
    const crashes = (async () => {
      for (const threshold of [300, 650]) {
        while (sent < threshold) await sleep(5);
        await server.kill();
        await sleep(300);
        await server.start();
      }
    })();
    await Promise.all([stream(alice, b, 'a'), stream(bob, a, 'b'), crashes]);
    await Promise.all([alice.settle(), bob.settle()]);

    expect(await conversationWith(server.url, a, b.user.id)).toHaveLength(2 * PER_SIDE);
    expectEachExactlyOnce(bob, a, numbered('a', PER_SIDE));
    expectEachExactlyOnce(alice, b, numbered('b', PER_SIDE));
  });

  it('2. the database stops for 5 s in the middle of a stream', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'parley-db-outage-'));
    const database = await startLocalDatabase({ dataDir });
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }), () => database.stop());
    const server = await startTestServer({}, { uri: database.uri, dbTimeoutMs: 1000 });
    cleanups.push(() => server.close());
    const [a, b] = [await registerUser(server.url), await registerUser(server.url)];
    const [alice, bob] = [new ReliableClient(server.url, a), new ReliableClient(server.url, b)];
    cleanups.push(() => alice.close(), () => bob.close());
    await Promise.all([alice.settle(), bob.settle()]);

    const COUNT = 150;
    let sent = 0;
    const outage = (async () => {
      while (sent < 50) await sleep(5);
      await database.stop();
      await sleep(5000);
      await database.start();
    })();
    for (let i = 0; i < COUNT; i += 1) {
      await alice.send(b.user.id, `s ${i}`, `stream-${String(i).padStart(4, '0')}`);
      sent += 1;
    }
    await outage;
    await bob.settle();

    expect(await conversationWith(server.url, a, b.user.id)).toHaveLength(COUNT);
    expectEachExactlyOnce(bob, a, numbered('s', COUNT));
  });

  it('3. the receiver’s transport drops for 10 s while messages arrive; catch-up delivers each once', async () => {
    const { a, b, alice, bob } = await settledPairOnTestServer();

    for (let i = 0; i < 10; i += 1) await alice.send(b.user.id, `t ${i}`, `drop-${String(i).padStart(4, '0')}`);
    while (bob.liveDeliveries.size < 10) await sleep(10);
    bob.dropTransport();
    const outageEnds = Date.now() + 10_000;
    for (let i = 10; i < 60; i += 1) {
      await alice.send(b.user.id, `t ${i}`, `drop-${String(i).padStart(4, '0')}`);
      await sleep(150);
    }
    expect(bob.liveDeliveries.size).toBe(10);
    await sleep(Math.max(0, outageEnds - Date.now()));
    await bob.reconnect();
    await bob.settle();

    expectEachExactlyOnce(bob, a, numbered('t', 60));
  });

  it('4. an edit and a delete made while the receiver is offline arrive once after reconnect', async () => {
    const { a, b, alice, bob } = await settledPairOnTestServer();

    const typo = await alice.send(b.user.id, 'see you at 5', 'edit-0001');
    const regret = await alice.send(b.user.id, 'something I regret', 'delete-0001');
    while (bob.liveDeliveries.size < 2) await sleep(10);
    bob.dropTransport();
    await sleep(100);

    const edited = await alice.socket.timeout(5000).emitWithAck('edit_message', { messageId: typo.id, content: 'see you at 6' });
    const deleted = await alice.socket.timeout(5000).emitWithAck('delete_message', { messageId: regret.id });
    expect([edited.ok, deleted.ok]).toEqual([true, true]);
    await sleep(200);
    expect(bob.liveUpdates.size).toBe(0);

    await bob.reconnect();
    await bob.settle();

    expect(bob.messages.get(typo.id)).toMatchObject({ content: 'see you at 6', deletedAt: null });
    expect(bob.messages.get(typo.id)?.editedAt).not.toBeNull();
    expect(bob.messages.get(regret.id)).toMatchObject({ content: '' });
    expect(bob.messages.get(regret.id)?.deletedAt).not.toBeNull();
    expectEachExactlyOnce(bob, a, ['see you at 6', '']);
    // Nothing is replayed live on reconnect: catch-up alone carried both changes.
    await sleep(200);
    expect(bob.liveUpdates.size).toBe(0);
    expect(alice.liveUpdates.get(typo.id)).toBe(1);
    expect(alice.liveUpdates.get(regret.id)).toBe(1);
  });
});
