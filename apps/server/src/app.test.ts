import type { SendMessageAck } from '@parley/protocol';
import type { Connection } from 'mongoose';
import { describe, expect, inject, it } from 'vitest';
import { connectDatabase } from './db/connect.js';
import { messageModel } from './features/messages/message.model.js';
import { connectedSocket, registerUser, type RecordingSocket } from './test/clients.js';
import { freePort } from './lib/freePort.js';
import { ServerProcess } from './test/serverProcess.js';
import { startTestServer, uniqueDbName } from './test/testServer.js';

function sendBurst(socket: RecordingSocket, receiverId: string, count: number) {
  return Array.from({ length: count }, (_, i) => {
    const clientMessageId = `shutdown-${String(i).padStart(3, '0')}`;
    // Settled at once: a send cut off by the closing socket is an outcome, not a test error.
    const ack: Promise<SendMessageAck | undefined> = socket.socket
      .timeout(10_000)
      .emitWithAck('send_message', { receiverId, content: `m ${i}`, clientMessageId })
      .catch(() => undefined);
    return { clientMessageId, ack };
  });
}

/**
 * What a shutdown owes each send: the ones it took in are stored and acked, or refused as
 * retryable and not stored; none is half done. Sends still on the wire when the sockets close
 * get no answer at all, and the client's outbox retries them with the same id.
 */
async function expectNothingHalfDone(db: Connection, burst: ReturnType<typeof sendBurst>) {
  const outcomes = await Promise.all(burst.map(async ({ clientMessageId, ack }) => ({ clientMessageId, result: await ack })));
  // The server is closed by now, so no API can answer: storage is the only witness.
  const stored = new Set((await messageModel(db).find({}).lean()).map((doc) => doc.clientMessageId));
  const acked = outcomes.filter(({ result }) => result?.ok);
  expect(acked.length).toBeGreaterThan(0);
  for (const { clientMessageId, result } of outcomes) {
    if (result?.ok) expect(stored.has(clientMessageId)).toBe(true);
    else if (result) {
      expect(result.error.code).toBe('STORE_UNAVAILABLE');
      expect(stored.has(clientMessageId)).toBe(false);
    }
  }
  return { acked: acked.length, answered: outcomes.filter(({ result }) => result).length };
}

describe('graceful shutdown', () => {
  it('lets in-flight sends finish and ack, refuses new ones as retryable, then closes', async () => {
    const server = await startTestServer();
    const [a, b] = [await registerUser(server.url), await registerUser(server.url)];
    const aSocket = await connectedSocket(server.url, a.accessToken);
    const burst = sendBurst(aSocket, b.user.id, 30);
    await burst[0]!.ack;
    const closing = server.app.close();
    const { answered } = await expectNothingHalfDone(server.db, burst);
    await closing;
    expect(answered).toBeGreaterThan(1);
    await server.db.close();
  });

  it('SIGTERM takes the same path and the process exits with code 0', async () => {
    const dbName = uniqueDbName();
    const uri = inject('mongoUri');
    const server = new ServerProcess(await freePort(), { MONGODB_URI: `${uri}${dbName}` });
    await server.start();
    const [a, b] = [await registerUser(server.url), await registerUser(server.url)];
    const aSocket = await connectedSocket(server.url, a.accessToken);
    const burst = sendBurst(aSocket, b.user.id, 20);
    await burst[0]!.ack;
    const exitCode = await server.stop();
    const db = await connectDatabase(uri, { timeoutMs: 2000, dbName });
    await expectNothingHalfDone(db, burst);
    expect(exitCode).toBe(0);
    await db.close();
  });
});
