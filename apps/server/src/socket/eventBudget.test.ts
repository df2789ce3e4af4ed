import { describe, expect, it } from 'vitest';
import type { Budgets, BudgetVerdict, Door } from '../lib/budgets.js';
import { silentLogger } from '../lib/logger.js';
import { noopMetrics } from '../lib/metrics.js';
import { chargeEvents, QueuedPerUser } from './eventBudget.js';
import { UserLanes } from '../lib/userLanes.js';
import type { AppSocket } from './types.js';

// The middleware alone, on a stand-in socket: what passes to the handlers, in what order, and
// what the client is answered. The real-server side is in budgets.socket.test.ts.

type Packet = unknown[];
type Middleware = (packet: Packet, next: (error?: Error) => void) => void;

function harness(options: { verdict?: (door: Door, units: number) => BudgetVerdict | Promise<BudgetVerdict>; maxQueued?: number; laneWidth?: number; answerAtOnce?: boolean } = {}) {
  let middleware: Middleware | undefined;
  let onDisconnect = () => {};
  const socket = {
    data: { userId: 'u1' },
    use: (fn: Middleware) => (middleware = fn),
    on: (event: string, fn: () => void) => {
      if (event === 'disconnect') onDisconnect = fn;
    },
  } as unknown as AppSocket;
  const charged: Door[] = [];
  const units: number[] = [];
  const budgets: Budgets = {
    take: async (_userId, door, spent = 1) => {
      charged.push(door);
      units.push(spent);
      return (await options.verdict?.(door, spent)) ?? { allowed: true };
    },
  };
  const rateLimited: string[] = [];
  const queued = new QueuedPerUser(options.maxQueued ?? 100);
  // Wide lanes unless a case is about them: the other cases look at the budget and the cap.
  const lanes = new UserLanes(options.laneWidth ?? 100);
  chargeEvents(socket, { budgets, queued, lanes, metrics: { ...noopMetrics, rateLimited: (door) => rateLimited.push(door) }, logger: silentLogger });
  const passed: Packet[] = [];
  const answers: unknown[] = [];
  return {
    charged,
    units,
    passed,
    answers,
    rateLimited,
    queued,
    disconnect: () => onDisconnect(),
    /** A client emit: with an ack unless `noAck`. */
    emit(event: string, payload: unknown, { noAck = false } = {}) {
      const packet: Packet = noAck ? [event, payload] : [event, payload, (answer: unknown) => answers.push(answer)];
      middleware!(packet, () => {
        passed.push(packet);
        // A handler that answers before it returns (as while shutting down).
        if (options.answerAtOnce) (packet[2] as (result: unknown) => void)({ ok: false });
      });
    },
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
const codeOf = (answer: unknown) => (answer as { error?: { code?: string } }).error?.code;

describe('chargeEvents', () => {
  it('charges the door of every known event and passes it on with its payload', async () => {
    const socket = harness();
    socket.emit('send_message', { n: 1 });
    socket.emit('typing_start', { n: 2 }, { noAck: true });
    await settle();
    expect(socket.charged).toEqual(['send_message', 'typing_start']);
    expect(socket.passed.map((packet) => [packet[0], packet[1]])).toEqual([
      ['send_message', { n: 1 }],
      ['typing_start', { n: 2 }],
    ]);
  });

  it('answers an acked event over budget with RATE_LIMITED and a wait; the handler never sees it', async () => {
    const socket = harness({ verdict: () => ({ allowed: false, retryAfterMs: 1500 }) });
    socket.emit('mark_as_read', { senderId: 'x' });
    await settle();
    expect(socket.passed).toEqual([]);
    expect(socket.answers).toEqual([
      { ok: false, error: { code: 'RATE_LIMITED', message: expect.any(String), details: { retryAfterMs: 1500 } } },
    ]);
    expect(socket.rateLimited).toEqual(['mark_as_read']);
  });

  it('drops a typing hint over budget, answering nothing', async () => {
    const socket = harness({ verdict: () => ({ allowed: false, retryAfterMs: 10 }) });
    socket.emit('typing_stop', { receiverId: 'x' }, { noAck: true });
    await settle();
    expect(socket.passed).toEqual([]);
    expect(socket.answers).toEqual([]);
    expect(socket.rateLimited).toEqual(['typing_stop']);
  });

  it('drops events no handler knows, uncharged', async () => {
    const socket = harness();
    socket.emit('drop_database', {});
    await settle();
    expect(socket.charged).toEqual([]);
    expect(socket.passed).toEqual([]);
  });

  it('passes events on in arrival order even when their budget checks answer out of order', async () => {
    let release: () => void = () => {};
    const slowFirst = new Promise<BudgetVerdict>((resolve) => (release = () => resolve({ allowed: true })));
    let calls = 0;
    const socket = harness({ verdict: () => (++calls === 1 ? slowFirst : { allowed: true }) });
    socket.emit('send_message', { n: 1 });
    socket.emit('send_message', { n: 2 });
    await settle();
    expect(socket.passed).toEqual([]);
    release();
    await settle();
    expect(socket.passed.map((packet) => packet[1])).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('caps answered work under way per user: beyond it RATE_LIMITED; an answer frees a place', async () => {
    const socket = harness({ maxQueued: 2 });
    for (let n = 1; n <= 3; n += 1) socket.emit('send_message', { n });
    await settle();
    expect(socket.passed.map((packet) => packet[1])).toEqual([{ n: 1 }, { n: 2 }]);
    expect(socket.answers.map(codeOf)).toEqual(['RATE_LIMITED']);
    expect(socket.rateLimited).toEqual(['queued_per_user']);
    // The handler answers the first: its ack reaches the client, and there is room again.
    const ack = socket.passed[0]![2] as (result: unknown) => void;
    ack({ ok: true });
    socket.emit('send_message', { n: 4 });
    await settle();
    expect(socket.answers).toEqual([expect.anything(), { ok: true }]);
    expect(socket.passed.map((packet) => packet[1])).toEqual([{ n: 1 }, { n: 2 }, { n: 4 }]);
  });

  it('counts an answered event sent without an ack too, and frees its place when the handler answers', async () => {
    const socket = harness({ maxQueued: 1 });
    socket.emit('message_delivered', { messageIds: ['a'] }, { noAck: true });
    await settle();
    const handlerAck = socket.passed[0]![2];
    expect(typeof handlerAck).toBe('function');
    expect(socket.queued.tryEnter('u1')).toBe(false);
    (handlerAck as (result: unknown) => void)({ ok: true, count: 1 });
    expect(socket.queued.tryEnter('u1')).toBe(true);
  });

  it('frees the places of a socket that goes away with work unanswered', async () => {
    const socket = harness({ maxQueued: 2 });
    socket.emit('send_message', { n: 1 });
    socket.emit('send_message', { n: 2 });
    await settle();
    expect(socket.queued.tryEnter('u1')).toBe(false);
    socket.disconnect();
    expect(socket.queued.tryEnter('u1')).toBe(true);
  });

  it('charges the id-list doors by size: one unit per 20 ids begun, anything else 1', async () => {
    const socket = harness();
    const ids = (count: number) => Array.from({ length: count }, (_, n) => String(n));
    socket.emit('presence_subscribe', { userIds: ids(200) });
    socket.emit('presence_subscribe', { userIds: [] });
    socket.emit('message_delivered', { messageIds: ids(21) });
    socket.emit('message_delivered', 'not an object');
    socket.emit('mark_as_read', { senderId: 'x' });
    await settle();
    expect(socket.units).toEqual([10, 1, 2, 1, 1]);
  });

  it('runs one user\'s answered events one at a time, in arrival order; an answer starts the next', async () => {
    const socket = harness({ laneWidth: 1 });
    socket.emit('mark_as_read', { n: 1 });
    socket.emit('send_message', { n: 2 });
    socket.emit('typing_start', { n: 3 }, { noAck: true });
    await settle();
    // The typing hint is never stored: it does not wait.
    expect(socket.passed.map((packet) => packet[1])).toEqual([{ n: 1 }, { n: 3 }]);
    (socket.passed[0]![2] as (result: unknown) => void)({ ok: true, count: 0 });
    expect(socket.passed.map((packet) => packet[1])).toEqual([{ n: 1 }, { n: 3 }, { n: 2 }]);
    expect(socket.answers).toEqual([{ ok: true, count: 0 }]);
  });

  it('a handler that answers at once, inside its start, frees its place in the lane', async () => {
    const socket = harness({ laneWidth: 1, answerAtOnce: true });
    socket.emit('send_message', { n: 1 });
    socket.emit('send_message', { n: 2 });
    await settle();
    expect(socket.passed.map((packet) => packet[1])).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('a socket that goes away frees its lane: the user\'s next event runs', async () => {
    const socket = harness({ laneWidth: 1 });
    socket.emit('send_message', { n: 1 });
    await settle();
    socket.disconnect();
    socket.emit('send_message', { n: 2 });
    await settle();
    expect(socket.passed.map((packet) => packet[1])).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('lets an event in when its budget cannot be read', async () => {
    const socket = harness({ verdict: () => Promise.reject(new Error('redis away')) });
    socket.emit('send_message', { n: 1 });
    await settle();
    expect(socket.passed).toHaveLength(1);
  });
});
