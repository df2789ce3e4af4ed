import { randomBytes } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { now, sleep } from './common.js';
import type { FloodArgs, FloodResult } from './ipc.js';

type Ack = { ok?: boolean; error?: { code?: string } } | undefined;

/**
 * S7's noisy neighbour, in the load generator: one socket emits `args.event` at `args.rate` per
 * second (open loop) for `args.seconds`, then waits (bounded) for the answers. It counts what the
 * server answered: ok, RATE_LIMITED (the per-user budgets of issue 10), other refusals, nothing.
 */
export async function flood(socket: Socket, args: FloodArgs): Promise<FloodResult> {
  const tag = randomBytes(4).toString('hex');
  const content = 'f'.repeat(args.contentLength);
  const total = Math.round(args.rate * args.seconds);
  const interval = 1000 / args.rate;
  const acked = args.event !== 'typing';
  const refusals: Record<string, number> = {};
  let answered = 0;
  let ok = 0;
  let rateLimited = 0;
  let lastAnswer = args.startAt;
  const answer = (reply: Ack) => {
    answered++;
    lastAnswer = now();
    if (reply?.ok) ok++;
    else if (reply?.error?.code === 'RATE_LIMITED') rateLimited++;
    else {
      const code = reply?.error?.code ?? 'no code';
      refusals[code] = (refusals[code] ?? 0) + 1;
    }
  };

  const emit = (k: number) => {
    switch (args.event) {
      case 'send_message':
        return socket.emit('send_message', { receiverId: args.targetId, content, clientMessageId: `f${tag}_${k}` }, answer);
      case 'mark_as_read':
        return socket.emit('mark_as_read', { senderId: args.targetId }, answer);
      case 'message_delivered':
        return socket.emit('message_delivered', { messageIds: args.ids.slice(0, 100) }, answer);
      case 'typing':
        return socket.emit(k % 2 === 0 ? 'typing_start' : 'typing_stop', { receiverId: args.targetId });
      case 'presence_subscribe':
        return socket.emit('presence_subscribe', { userIds: args.ids.slice(0, 200) }, answer);
      case 'edit_message':
        return socket.emit('edit_message', { messageId: args.ids[k % args.ids.length], content: `${content} ${k}` }, answer);
      case 'delete_message':
        return socket.emit('delete_message', { messageId: args.ids[k % args.ids.length] }, answer);
    }
  };

  await sleep(Math.max(0, args.startAt - now()));
  let k = 0;
  while (k < total) {
    // Every event due by now goes out, then the loop yields (so answers are taken in as they come).
    while (k < total && args.startAt + k * interval <= now()) emit(k++);
    await sleep(1);
  }
  const deadline = now() + args.settleCapS * 1000;
  while (acked && answered < total && now() < deadline) await sleep(10);
  const end = acked ? Math.max(lastAnswer, args.startAt + args.seconds * 1000) : now();
  return {
    event: args.event,
    sent: total,
    acked,
    answered,
    ok,
    rateLimited,
    refusals,
    unanswered: acked ? total - answered : 0,
    tookS: Math.round(end - args.startAt) / 1000,
  };
}
