import type { Message, PresenceSubscribeAck, SendMessageAck } from '@parley/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { connectedSocket, conversationWith, registerUser, sleep, type RecordingSocket, type TestUser } from '../test/clients.js';
import { sampleValue, scrapeMetrics } from '../test/metricsText.js';
import { eventsAbout } from '../test/presence.js';
import { startTestCluster, type TestCluster } from '../test/testCluster.js';

// Issue 13, tests 2-4: presence kept in Redis by several real nodes. Each test starts its own
// nodes and its own redis-server, so killing or pausing one disturbs nothing else.

const GRACE_MS = 300;
const NODE_TIMEOUT_MS = 3000;
const METRICS_TOKEN = 'metrics-token-for-the-presence-node-tests';
/** The spec's bound on announcing a dead node's users offline, plus room for a loaded machine. */
const REAP_WITHIN_MS = NODE_TIMEOUT_MS + 1000 + 6000;

let cluster: TestCluster | undefined;
const opened: RecordingSocket[] = [];

afterEach(async () => {
  for (const socket of opened.splice(0)) socket.close();
  await cluster?.close();
  cluster = undefined;
});

async function startNodes(count: number): Promise<TestCluster> {
  cluster = await startTestCluster(count, {
    PRESENCE_GRACE_MS: String(GRACE_MS),
    PRESENCE_NODE_TIMEOUT_MS: String(NODE_TIMEOUT_MS),
    METRICS_TOKEN,
  });
  return cluster;
}

async function openOn(node: { url: string }, user: TestUser): Promise<RecordingSocket> {
  const socket = await connectedSocket(node.url, user.accessToken);
  opened.push(socket);
  await socket.waitFor('online_users', 1, 15_000);
  return socket;
}

/** A socket on `node` that watches `watched` (presence_subscribe) and has heard its current state. */
async function watcherOn(node: { url: string }, user: TestUser, watched: TestUser[]): Promise<RecordingSocket> {
  const socket = await openOn(node, user);
  const ack: PresenceSubscribeAck = await socket.socket.timeout(15_000).emitWithAck('presence_subscribe', {
    userIds: watched.map((each) => each.user.id),
  });
  expect(ack.ok).toBe(true);
  return socket;
}

const about = (socket: RecordingSocket, event: 'user_online' | 'user_offline', user: TestUser) => eventsAbout(socket, event, user.user.id);

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/**
 * Whether `user` is online now, as the server answers a subscription. A subscription replaces the
 * socket's set, so it names everyone the socket watches (`watched`), `user` among them.
 */
async function isOnline(watcher: RecordingSocket, user: TestUser, watched: TestUser[] = [user]): Promise<boolean> {
  const ack: PresenceSubscribeAck = await watcher.socket.timeout(15_000).emitWithAck('presence_subscribe', {
    userIds: watched.map((each) => each.user.id),
  });
  if (!ack.ok) throw new Error(ack.error.code);
  return ack.users.find((state) => state.userId === user.user.id)?.online ?? false;
}

describe('presence across nodes (issue 13)', { timeout: 150_000 }, () => {
  it('2. tabs on two nodes: offline only after the last one closes, and the grace period', async () => {
    const { nodes } = await startNodes(2);
    const [a, watcher] = [await registerUser(nodes[0]!.url), await registerUser(nodes[0]!.url)];
    const observer = await watcherOn(nodes[0]!, watcher, [a]);
    const tab1 = await openOn(nodes[0]!, a);
    const tab2 = await openOn(nodes[1]!, a);
    await until(() => about(observer, 'user_online', a).length === 1, 15_000, 'user_online');

    // The tab on node 0 signs out of its socket: the one on node 1 keeps the user online.
    tab1.close();
    await sleep(GRACE_MS * 3);
    expect(about(observer, 'user_offline', a)).toHaveLength(0);
    expect(await isOnline(observer, a)).toBe(true);

    // The last tab drops (not a sign-out): still online within the grace period, then offline once.
    tab2.socket.io.engine.close();
    await sleep(GRACE_MS / 3);
    expect(about(observer, 'user_offline', a)).toHaveLength(0);
    await until(() => about(observer, 'user_offline', a).length === 1, 15_000, 'user_offline');
    await sleep(GRACE_MS * 2);
    expect(about(observer, 'user_online', a)).toHaveLength(1);
    expect(about(observer, 'user_offline', a)).toHaveLength(1);
  });

  it('3. kill -9 a node: its users are announced offline once, come back through another node, and nothing it acked is lost', async () => {
    const { nodes } = await startNodes(3);
    const [a, b, watcher] = [await registerUser(nodes[0]!.url), await registerUser(nodes[0]!.url), await registerUser(nodes[0]!.url)];
    const observers = [await watcherOn(nodes[0]!, watcher, [a, b]), await watcherOn(nodes[1]!, watcher, [a, b])];
    const aOnDoomed = await openOn(nodes[2]!, a);
    const bSocket = await openOn(nodes[1]!, b);
    for (const observer of observers) await until(() => about(observer, 'user_online', a).length === 1, 15_000, 'a online');

    const acked: Message[] = [];
    for (let index = 0; index < 20; index += 1) {
      const ack: SendMessageAck = await aOnDoomed.socket.timeout(15_000).emitWithAck('send_message', { receiverId: b.user.id, content: `m${index}` });
      if (ack.ok) acked.push(ack.message);
    }
    expect(acked).toHaveLength(20);

    await nodes[2]!.kill();
    for (const observer of observers) {
      await until(() => about(observer, 'user_offline', a).length >= 1, REAP_WITHIN_MS, 'the dead node reaped');
    }
    // Once, whichever node won the reap; b, on a live node, was never touched.
    await sleep(NODE_TIMEOUT_MS);
    for (const observer of observers) {
      expect(about(observer, 'user_offline', a)).toHaveLength(1);
      expect(about(observer, 'user_offline', b)).toHaveLength(0);
    }
    expect(await isOnline(observers[0]!, b, [a, b])).toBe(true);
    const reaps = (await Promise.all(nodes.slice(0, 2).map((node) => scrapeMetrics(node.url, METRICS_TOKEN)))).map((text) =>
      sampleValue(text, 'parley_presence_reaps_total'),
    );
    expect(reaps.reduce((sum, value) => sum + value, 0)).toBe(1);

    // a reconnects, to another node: online again, everywhere.
    await openOn(nodes[0]!, a);
    for (const observer of observers) {
      await until(() => about(observer, 'user_online', a).length >= 2, 15_000, 'a back online');
    }
    for (const observer of observers) expect(about(observer, 'user_online', a)).toHaveLength(2);
    // Everything the dead node acked is stored.
    const history = await conversationWith(nodes[1]!.url, b, a.user.id);
    expect(history.map((message) => message.id)).toEqual(expect.arrayContaining(acked.map((message) => message.id)));
    expect(bSocket.socket.connected).toBe(true);
  });

  it('4. a node paused past the timeout and resumed registers its sockets again: presence is right again', async () => {
    const { nodes } = await startNodes(2);
    const [a, watcher] = [await registerUser(nodes[0]!.url), await registerUser(nodes[0]!.url)];
    const observer = await watcherOn(nodes[0]!, watcher, [a]);
    const aSocket = await openOn(nodes[1]!, a);
    await until(() => about(observer, 'user_online', a).length === 1, 15_000, 'a online');

    nodes[1]!.pause();
    await until(() => about(observer, 'user_offline', a).length === 1, REAP_WITHIN_MS, 'the paused node reaped');
    expect(await isOnline(observer, a)).toBe(false);
    nodes[1]!.resume();

    // Its next heartbeat finds it was reaped; it registers a's socket again and announces it.
    await until(() => about(observer, 'user_online', a).length === 2, NODE_TIMEOUT_MS + 10_000, 'a online again');
    expect(await isOnline(observer, a)).toBe(true);
    expect(aSocket.socket.connected).toBe(true);
    expect(about(observer, 'user_offline', a)).toHaveLength(1);
  });
});
