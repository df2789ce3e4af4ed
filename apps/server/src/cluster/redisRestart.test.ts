import { SYNC_OVERLAP_MS, type Message, type PresenceSubscribeAck, type SendMessageAck, type SyncResponse } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectedSocket, getJson, registerUser, sleep, type RecordingSocket, type TestUser } from '../test/clients.js';
import { sampleValue, scrapeMetrics } from '../test/metricsText.js';
import { startTestCluster, type TestCluster } from '../test/testCluster.js';

// Issue 13, test 5: Redis is killed and started again (empty) while one user sends to another
// on a different node; presence, lost with it, is registered again by each node. Sends keep being acked (the database is fine), but what a node publishes
// while Redis is away reaches no other node. When the link is back, every node tells its sockets
// `resync_required`; the receiver, doing what the web client does (catch up from its cursor
// minus the overlap, de-duplicate by id), ends with every acked message exactly once.

const METRICS_TOKEN = 'metrics-token-for-the-redis-restart-test';
let cluster: TestCluster;
const opened: RecordingSocket[] = [];

beforeAll(async () => {
  cluster = await startTestCluster(2, { METRICS_TOKEN });
}, 120_000);

afterAll(async () => {
  for (const socket of opened) socket.close();
  await cluster?.close();
});

/** The receiving side of the web client, reduced to what this test needs. */
class ReceivingClient {
  readonly seen = new Map<string, Message>();
  readonly liveCount = new Map<string, number>();
  private cursor: string;
  private catchingUp: Promise<void> = Promise.resolve();
  catchUps = 0;

  constructor(
    private readonly baseUrl: string,
    private readonly user: TestUser,
    readonly socket: RecordingSocket,
  ) {
    this.cursor = new Date(Date.now() - 60_000).toISOString();
    socket.socket.on('new_message', ({ message }) => {
      this.liveCount.set(message.id, (this.liveCount.get(message.id) ?? 0) + 1);
      this.seen.set(message.id, message);
    });
    socket.socket.on('resync_required', () => {
      this.catchingUp = this.catchingUp.then(() => this.catchUp());
    });
  }

  private async catchUp(): Promise<void> {
    let since = new Date(Date.parse(this.cursor) - SYNC_OVERLAP_MS).toISOString();
    let after: string | null = null;
    for (;;) {
      const query: string = `since=${encodeURIComponent(since)}${after ? `&after=${after}` : ''}`;
      const { status, body }: { status: number; body: SyncResponse } = await getJson<SyncResponse>(this.baseUrl, `/api/sync?${query}`, this.user.accessToken);
      if (status !== 200) throw new Error(`sync failed: ${status}`);
      for (const message of body.messages) this.seen.set(message.id, message);
      this.cursor = body.nextSince;
      if (!body.hasMore) break;
      since = body.nextSince;
      after = body.nextAfter;
    }
    this.catchUps += 1;
  }

  settled(): Promise<void> {
    return this.catchingUp;
  }
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

async function readiness(url: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${url}/api/health/ready`);
  return { status: response.status, body: await response.json() };
}

describe('Redis restarted mid-stream (issue 13, test 5)', { timeout: 150_000 }, () => {
  it('every message acked during the gap reaches the receiver on another node exactly once, through resync_required', async () => {
    const [a, b] = [await registerUser(cluster.nodes[0]!.url), await registerUser(cluster.nodes[0]!.url)];
    const sender = await connectedSocket(cluster.nodes[0]!.url, a.accessToken);
    const receiverSocket = await connectedSocket(cluster.nodes[1]!.url, b.accessToken);
    opened.push(sender, receiverSocket);
    await Promise.all([sender.waitFor('online_users', 1, 15_000), receiverSocket.waitFor('online_users', 1, 15_000)]);
    const receiver = new ReceivingClient(cluster.nodes[1]!.url, b, receiverSocket);

    const acked: Message[] = [];
    let stop = false;
    const sending = (async () => {
      for (let index = 0; !stop; index += 1) {
        const ack: SendMessageAck = await sender.socket.timeout(15_000).emitWithAck('send_message', {
          receiverId: b.user.id,
          content: `message ${index}`,
        });
        if (ack.ok) acked.push(ack.message);
        await sleep(20);
      }
    })();

    await until(() => acked.length >= 10, 30_000, 'sends before the outage');
    await until(() => receiver.seen.size >= 5, 30_000, 'live delivery before the outage');
    await cluster.redis.kill();
    // Issue 17: with Redis configured, readiness follows it (out of rotation while it is gone).
    await until(async () => (await readiness(cluster.nodes[0]!.url)).status === 503, 15_000, 'not ready without Redis');
    expect((await readiness(cluster.nodes[0]!.url)).body).toMatchObject({ checks: { database: 'up', redis: 'down' } });
    const ackedAtKill = acked.length;
    await until(() => acked.length >= ackedAtKill + 10, 30_000, 'sends acked while Redis is down');
    await cluster.redis.start();
    await receiverSocket.waitFor('resync_required', 1, 30_000);
    await until(async () => (await readiness(cluster.nodes[0]!.url)).status === 200, 15_000, 'ready again');
    // A few more after the link is back, delivered live again.
    const ackedAtRestart = acked.length;
    await until(() => acked.length >= ackedAtRestart + 10, 30_000, 'sends after the restart');
    stop = true;
    await sending;
    await until(() => receiver.catchUps >= 1, 30_000, 'the catch-up');
    await receiver.settled();
    const last = acked[acked.length - 1]!;
    await until(() => receiver.seen.has(last.id), 15_000, 'the last message');

    // Everything acked is there, exactly once; nothing arrived live twice; nothing extra.
    expect([...receiver.seen.keys()].sort()).toEqual(acked.map((message) => message.id).sort());
    expect([...receiver.liveCount.values()].every((count) => count === 1)).toBe(true);
    // Some were missed live during the gap: the catch-up is what brought them.
    expect(receiver.liveCount.size).toBeLessThan(acked.length);
    // The sender's node told its sockets as well, and counted the publishes that failed.
    await sender.waitFor('resync_required', 1, 15_000);
    // Redis came back empty; both nodes registered their sockets again: each user sees the other online.
    for (const [watcher, watched] of [
      [receiverSocket, a],
      [sender, b],
    ] as const) {
      const states: PresenceSubscribeAck = await watcher.socket.timeout(15_000).emitWithAck('presence_subscribe', { userIds: [watched.user.id] });
      expect(states).toMatchObject({ ok: true, users: [{ userId: watched.user.id, online: true }] });
    }
    const metrics = await scrapeMetrics(cluster.nodes[0]!.url, METRICS_TOKEN);
    expect(sampleValue(metrics, 'parley_adapter_publish_errors_total')).toBeGreaterThan(0);
  });
});
