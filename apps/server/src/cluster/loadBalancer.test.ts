import type { Message, SendMessageAck } from '@parley/protocol';
import { io as connectClient } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../lib/freePort.js';
import { RecordingSocket, registerUser, type ClientSocket } from '../test/clients.js';
import { startTestCluster, type TestCluster } from '../test/testCluster.js';
import { HaproxyProcess } from './haproxy.js';

// Issue 13, test 6: three nodes behind HAProxy running deploy/haproxy.cfg (local ports). The
// balance is switched to round-robin here, so that requests WITHOUT the stickiness cookie hop
// between nodes for sure: the cookie alone is what keeps a long-polling session on its node.

let cluster: TestCluster;
let haproxy: HaproxyProcess;
/** The same nodes behind a proxy that refuses WebSocket upgrades. */
let noWebSockets: HaproxyProcess;
const opened: RecordingSocket[] = [];

beforeAll(async () => {
  // Behind one proxy hop, as in deploy/ and `pnpm cluster`.
  cluster = await startTestCluster(3, { TRUST_PROXY: '1' });
  const nodes = cluster.nodes.map((node, index) => ({ name: `node${index + 1}`, port: node.port }));
  haproxy = new HaproxyProcess(await freePort(), nodes, { balance: 'roundrobin' });
  await haproxy.start();
  noWebSockets = new HaproxyProcess(await freePort(), nodes, { balance: 'roundrobin', refuseWebSockets: true });
  await noWebSockets.start();
}, 120_000);

afterAll(async () => {
  for (const socket of opened) socket.close();
  await haproxy?.stop();
  await noWebSockets?.stop();
  await cluster?.close();
});

function open(
  token: string,
  options: { transports: ('polling' | 'websocket')[]; withCredentials: boolean; tryAllTransports?: boolean; via?: HaproxyProcess },
): RecordingSocket {
  const socket: ClientSocket = connectClient((options.via ?? haproxy).url, {
    auth: { token },
    transports: options.transports,
    tryAllTransports: options.tryAllTransports ?? false,
    upgrade: false,
    // In Node, socket.io-client keeps cookies (a cookie jar) only with withCredentials.
    withCredentials: options.withCredentials,
    reconnection: false,
    forceNew: true,
  });
  const recording = new RecordingSocket(socket);
  opened.push(recording);
  return recording;
}

function send(socket: RecordingSocket, receiverId: string, content: string): Promise<SendMessageAck> {
  return socket.socket.timeout(15_000).emitWithAck('send_message', { receiverId, content });
}

describe('through HAProxy (issue 13, test 6)', { timeout: 120_000 }, () => {
  it('long-polling works with the SERVERID cookie, a WebSocket works, and they talk to each other', async () => {
    const [a, b] = [await registerUser(haproxy.url), await registerUser(haproxy.url)];
    const polling = open(a.accessToken, { transports: ['polling'], withCredentials: true });
    await polling.connected();
    expect(polling.socket.io.engine.transport.name).toBe('polling');
    const websocket = open(b.accessToken, { transports: ['websocket'], withCredentials: false });
    await websocket.connected();
    expect(websocket.socket.io.engine.transport.name).toBe('websocket');
    await polling.waitFor('online_users', 1, 15_000);
    await websocket.waitFor('online_users', 1, 15_000);

    // Several round trips each way over long-polling: every request reached the same node.
    for (const round of [1, 2, 3]) {
      const ack = await send(polling, b.user.id, `poll ${round}`);
      expect(ack.ok).toBe(true);
      const reply = await send(websocket, a.user.id, `ws ${round}`);
      expect(reply.ok).toBe(true);
    }
    const toB = await websocket.waitFor<{ message: Message }>('new_message', 6, 15_000);
    const toA = await polling.waitFor<{ message: Message }>('new_message', 6, 15_000);
    expect(toA.map((event) => event.message.content)).toEqual(toB.map((event) => event.message.content));
    expect(toA.map((event) => event.message.content)).toEqual(['poll 1', 'ws 1', 'poll 2', 'ws 2', 'poll 3', 'ws 3']);
    expect(polling.socket.connected).toBe(true);
  });

  it('where WebSockets are refused, a client configured as the web app (websocket, then polling) falls back to long-polling', async () => {
    const [a, b] = [await registerUser(haproxy.url), await registerUser(haproxy.url)];
    // apps/web/src/lib/socket.ts: transports ['websocket', 'polling'] with tryAllTransports.
    const fallback = open(a.accessToken, { transports: ['websocket', 'polling'], tryAllTransports: true, withCredentials: true, via: noWebSockets });
    await fallback.connected();
    expect(fallback.socket.io.engine.transport.name).toBe('polling');
    await fallback.waitFor('online_users', 1, 15_000);
    const ack = await send(fallback, b.user.id, 'over polling');
    expect(ack.ok).toBe(true);
    await fallback.waitFor('new_message', 1, 15_000);
  });

  it('without the cookie, long-polling requests hop between nodes and the session does not hold (the control)', async () => {
    const a = await registerUser(haproxy.url);
    const polling = open(a.accessToken, { transports: ['polling'], withCredentials: false });
    const outcome = await new Promise<string>((resolve) => {
      polling.socket.once('connect_error', () => resolve('refused'));
      polling.socket.once('disconnect', () => resolve('dropped'));
      polling.socket.once('connect', () => {
        // The handshake may land by luck; the next requests go elsewhere and the session is lost.
        polling.socket.once('disconnect', () => resolve('dropped'));
        void send(polling, a.user.id, 'hello?').then(
          () => undefined,
          () => resolve('dropped'),
        );
      });
      setTimeout(() => resolve('held'), 20_000).unref();
    });
    expect(outcome).not.toBe('held');
  });
});
