import { randomBytes } from 'node:crypto';
import { CLIENT_EVENT_NAMES, type ClientEventName, type SendMessageAck } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { parseEnv } from '../config.js';
import { freePort } from '../lib/freePort.js';
import { connectedSocket, conversationWith, registerUser, sleep, type RecordingSocket, type TestUser } from '../test/clients.js';
import { startFlooder, type FloodOutcome } from '../test/flooder.js';
import { ServerProcess } from '../test/serverProcess.js';
import { uniqueDbName } from '../test/testServer.js';

// Issue 10 "no user can slow anyone else down": one user floods a door for 2 s while another
// sends at 10 a second; the bystander loses nothing and its send-ack p95 stays under 3x its
// quiet p95. The server and the flooder each run in a process of their own (the flooder's own
// work must not be measured as the server's slowness), with the default budgets. This is a guard against gross
// interference, not a speed measurement (the bench's S7 reports the figures): the quiet base is at
// least BASE_FLOOR_MS, so scheduling noise on a loaded machine does not fail it.

const FLOOD_MS = 2000;
/** Events per 10 ms: 500 a second, fifty times the largest budget. */
const FLOOD_PER_TICK = 5;
const BYSTANDER_EVERY_MS = 100; // 10 a second
const RATIO = 3;
const BASE_FLOOR_MS = 50;

/** The default budgets, except sends: the bystander sends right at the default rate all along, and must never meet its own budget. */
function defaultBudgetsEnv(): Record<string, string> {
  const env = parseEnv({});
  const budgets = Object.fromEntries(
    Object.entries(env)
      .filter(([name]) => name.startsWith('BUDGET_'))
      .map(([name, rate]) => [name, `${(rate as { perSecond: number }).perSecond}/${(rate as { burst: number }).burst}`]),
  );
  return { ...budgets, BUDGET_SEND_MESSAGE: '20/60', MAX_QUEUED_PER_USER: String(env.MAX_QUEUED_PER_USER) };
}

let server: ServerProcess;
let flooder: TestUser;
let bystander: TestUser;
let flooderSocket: RecordingSocket;
let flooderProcess: Awaited<ReturnType<typeof startFlooder>>;
let bystanderSocket: RecordingSocket;
/** Every clientMessageId the bystander sent, to find each stored. */
const sent: string[] = [];
/** Ids of messages addressed to the flooder (the bystander's), for message_delivered. */
const toFlooder: string[] = [];
let ownMessageId = '';

beforeAll(async () => {
  server = new ServerProcess(await freePort(), { MONGODB_URI: `${inject('mongoUri')}${uniqueDbName()}`, ...defaultBudgetsEnv() });
  await server.start();
  [flooder, bystander] = [await registerUser(server.url), await registerUser(server.url)];
  [flooderSocket, bystanderSocket] = [await connectedSocket(server.url, flooder.accessToken), await connectedSocket(server.url, bystander.accessToken)];
  const own = await flooderSocket.socket.timeout(10_000).emitWithAck('send_message', { receiverId: bystander.user.id, content: 'mine' });
  if (!own.ok) throw new Error('the first message failed');
  ownMessageId = own.message.id;
  flooderProcess = await startFlooder(server.url, flooder.accessToken);
}, 60_000);

afterAll(async () => {
  flooderProcess?.stop();
  flooderSocket?.close();
  bystanderSocket?.close();
  await server?.kill();
});

/** The bystander sends every 100 ms for `durationMs`, each on schedule; resolves with each ack's latency. */
async function bystanderSends(durationMs: number): Promise<number[]> {
  const sends: Promise<number>[] = [];
  const until = performance.now() + durationMs;
  while (performance.now() < until) {
    const clientMessageId = `by_${randomBytes(8).toString('hex')}`;
    sent.push(clientMessageId);
    const startedAt = performance.now();
    sends.push(
      bystanderSocket.socket
        .timeout(20_000)
        .emitWithAck('send_message', { receiverId: flooder.user.id, content: `hello ${sent.length}`, clientMessageId })
        .then((ack: SendMessageAck) => {
          if (!ack.ok) throw new Error(`a bystander send failed: ${ack.error.code}`);
          toFlooder.push(ack.message.id);
          return performance.now() - startedAt;
        }),
    );
    await sleep(BYSTANDER_EVERY_MS);
  }
  return Promise.all(sends);
}

function p95(latencies: number[]): number {
  const sorted = [...latencies].sort((a, b) => a - b);
  return sorted[Math.ceil(sorted.length * 0.95) - 1]!;
}

function fakeIds(count: number): string[] {
  return Array.from({ length: count }, () => randomBytes(12).toString('hex'));
}

/** The most expensive valid payload of each event the flooder can send. */
function payloadOf(event: ClientEventName): unknown {
  switch (event) {
    case 'send_message':
      return { receiverId: bystander.user.id, content: 'flood '.repeat(100) };
    case 'mark_as_read':
      return { senderId: bystander.user.id };
    case 'message_delivered':
      return { messageIds: [...toFlooder.slice(-100), ...fakeIds(100)].slice(0, 100) };
    case 'edit_message':
      return { messageId: ownMessageId, content: 'edited' };
    case 'delete_message':
      return { messageId: ownMessageId };
    case 'presence_subscribe':
      return { userIds: fakeIds(200) };
    case 'typing_start':
    case 'typing_stop':
      return { receiverId: bystander.user.id };
  }
}

async function compare(attack: () => Promise<unknown>): Promise<{ quiet: number; noisy: number }> {
  const quiet = p95(await bystanderSends(FLOOD_MS));
  const [noisy] = await Promise.all([bystanderSends(FLOOD_MS), attack()]);
  return { quiet, noisy: p95(noisy) };
}

function expectUndisturbed({ quiet, noisy }: { quiet: number; noisy: number }, door: string): void {
  const limit = RATIO * Math.max(quiet, BASE_FLOOR_MS);
  expect({ door, noisyP95Ms: Math.round(noisy), within: noisy < limit }).toEqual({ door, noisyP95Ms: Math.round(noisy), within: true });
}

const UNANSWERED = new Set<ClientEventName>(['typing_start', 'typing_stop']);

describe('noisy neighbour: a flood at one door does not slow another user down', () => {
  it.each([...CLIENT_EVENT_NAMES])('%s', async (event) => {
    let outcome: FloodOutcome = { sent: 0, refused: 0, answered: 0 };
    const acked = !UNANSWERED.has(event);
    const figures = await compare(async () => {
      outcome = await flooderProcess.flood({ kind: 'socket', target: event, payload: payloadOf(event), acked, durationMs: FLOOD_MS, intensity: FLOOD_PER_TICK });
    });
    expectUndisturbed(figures, event);
    // The flood did meet the budget (the answered kinds say so; typing is dropped silently).
    if (acked) expect(outcome.refused).toBeGreaterThan(outcome.sent / 2);
  }, 90_000);

  it.each(['/api/conversations', '/api/users?q=a'])('REST: GET %s hammered from 16 connections at once', async (path) => {
    let outcome: FloodOutcome = { sent: 0, refused: 0, answered: 0 };
    const figures = await compare(async () => {
      outcome = await flooderProcess.flood({ kind: 'rest', target: path, durationMs: FLOOD_MS, intensity: 16 });
    });
    expectUndisturbed(figures, `GET ${path}`);
    expect(outcome.refused).toBeGreaterThan(outcome.sent / 2);
  }, 90_000);

  it('nothing the bystander sent was lost: every send is stored once', async () => {
    const stored = await conversationWith(server.url, bystander, flooder.user.id);
    const mine = stored.filter((message) => message.sender === bystander.user.id).map((message) => message.clientMessageId);
    expect(mine.sort()).toEqual([...sent].sort());
  }, 60_000);
});
