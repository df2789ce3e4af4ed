import { fileURLToPath } from 'node:url';
import { SYNC_OVERLAP_MS, type Message, type SendMessageAck, type SyncResponse } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { freePort } from '../lib/freePort.js';
import { connectedSocket, getJson, registerUser, type RecordingSocket, type TestUser } from '../test/clients.js';
import { RedisProcess } from './redisServer.js';
import { ServerProcess } from '../test/serverProcess.js';
import { uniqueDbName } from '../test/testServer.js';

// Issue 13: "the catch-up cursor must not miss a change when node clocks differ by up to 2 s".
// Two nodes on one database and Redis; node B's clock runs 2 s behind node A's. Every stamp
// (createdAt, updatedAt) is written by the node that handles the change, so a change handled by
// B right after one handled by A carries an EARLIER stamp. A client that asked /api/sync in
// between holds a cursor past it; the overlap the client asks with (SYNC_OVERLAP_MS) covers it.

const SKEW_MS = -2000;
const SKEWED_CLOCK = fileURLToPath(new URL('../test/skewedClock.ts', import.meta.url));

let redis: RedisProcess;
let nodeA: ServerProcess;
let nodeB: ServerProcess;
const opened: RecordingSocket[] = [];

beforeAll(async () => {
  redis = new RedisProcess(await freePort());
  await redis.start();
  const env = { MONGODB_URI: `${inject('mongoUri')}${uniqueDbName()}`, REDIS_URL: redis.url };
  nodeA = new ServerProcess(await freePort(), env);
  await nodeA.start();
  nodeB = new ServerProcess(await freePort(), { ...env, CLOCK_SKEW_MS: String(SKEW_MS) }, { nodeArgs: ['--import', SKEWED_CLOCK] });
  await nodeB.start();
}, 120_000);

afterAll(async () => {
  for (const socket of opened) socket.close();
  await Promise.all([nodeA?.kill(), nodeB?.kill()]);
  await redis?.kill();
});

async function sync(node: ServerProcess, user: TestUser, since: string, after?: string): Promise<SyncResponse> {
  const query = `since=${encodeURIComponent(since)}${after ? `&after=${after}` : ''}`;
  const { status, body } = await getJson<SyncResponse>(node.url, `/api/sync?${query}`, user.accessToken);
  expect(status).toBe(200);
  return body;
}

/** Every change from `since` on, page by page, as the web client reads them. */
async function syncAll(node: ServerProcess, user: TestUser, since: string): Promise<{ messages: Message[]; nextSince: string }> {
  const messages: Message[] = [];
  let page = await sync(node, user, since);
  messages.push(...page.messages);
  while (page.hasMore) {
    page = await sync(node, user, page.nextSince, page.nextAfter ?? undefined);
    messages.push(...page.messages);
  }
  return { messages, nextSince: page.nextSince };
}

async function socketOn(node: ServerProcess, user: TestUser): Promise<RecordingSocket> {
  const socket = await connectedSocket(node.url, user.accessToken);
  opened.push(socket);
  return socket;
}

async function send(socket: RecordingSocket, receiverId: string, content: string): Promise<Message> {
  const ack: SendMessageAck = await socket.socket.timeout(15_000).emitWithAck('send_message', { receiverId, content });
  if (!ack.ok) throw new Error(`send failed: ${ack.error.code}`);
  return ack.message;
}

describe('catch-up across nodes whose clocks differ by 2 s', { timeout: 120_000 }, () => {
  it('a change stamped by the slow node after the cursor passed it is found through the overlap', async () => {
    // Signed up on the slow node: its tokens are never dated in the future of either node.
    const [receiver, sender] = [await registerUser(nodeB.url), await registerUser(nodeB.url)];
    const start = new Date(Date.now() - 60_000).toISOString();
    // Both of the sender's tabs open first: the two sends must fall within the 2 s.
    const [tabOnA, tabOnB] = [await socketOn(nodeA, sender), await socketOn(nodeB, sender)];

    const first = await send(tabOnA, receiver.user.id, 'stamped by A');
    const before = await syncAll(nodeA, receiver, start);
    expect(before.messages.map((message) => message.id)).toEqual([first.id]);
    const cursor = before.nextSince;

    const second = await send(tabOnB, receiver.user.id, 'stamped by B, later');
    // The hazard is real: the later change carries a stamp before the cursor.
    expect(Date.parse(second.createdAt)).toBeLessThan(Date.parse(cursor));

    // Asking from the cursor itself misses it ...
    const naive = await syncAll(nodeA, receiver, cursor);
    expect(naive.messages.map((message) => message.id)).not.toContain(second.id);

    // ... asking from the overlap before it, as the client does, finds it (and the repeat of
    // the first message is de-duplicated by id on the client).
    const overlapped = await syncAll(nodeA, receiver, new Date(Date.parse(cursor) - SYNC_OVERLAP_MS).toISOString());
    expect(overlapped.messages.map((message) => message.id)).toContain(second.id);
    expect(SYNC_OVERLAP_MS).toBeGreaterThan(-SKEW_MS);
  });
});
