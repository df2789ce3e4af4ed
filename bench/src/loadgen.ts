/**
 * The load generator: a process of its own (started under `ulimit -n`), driven over IPC by run.ts.
 * Real socket.io-client over the websocket transport (or `ws` for B1). Open-loop: every send and
 * every connect has an intended time on a fixed schedule, and latency is measured from that
 * intended time, so a stalled generator or server shows up as latency instead of hiding it.
 */
import { randomBytes } from 'node:crypto';
import { io as ioClient, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import { newHistogram, now, recordMs, selfMeter, sleep, summarize } from './common.js';
import { flood } from './flood.js';
import {
  announceReady,
  serveIpc,
  type ClientKind as Kind,
  type ConnectArgs,
  type ConnectResult,
  type LoadgenApi,
  type ProbeArgs,
  type ProbeResult,
  type TrafficArgs,
  type TrafficResult,
  type UserCred,
} from './ipc.js';

interface Conn {
  userId: string;
  kind: Kind;
  sio?: Socket;
  ws?: WebSocket;
  connected: boolean;
}

interface MessageLike {
  sender: string;
  receiver: string;
  clientMessageId: string;
}

const groups = new Map<string, Conn[]>();
const meter = selfMeter();

// Current traffic run, if any: what each new_message and ack is matched against.
let traffic:
  | {
      intended: Map<string, number>;
      measuredFrom: number;
      onDeliver(cid: string, at: number): void;
    }
  | undefined;

// Current presence probe, if any.
let probe: { userId: string; event: 'user_online' | 'user_offline'; count: number; first: number; last: number } | undefined;

function onPresence(event: 'user_online' | 'user_offline', payload: { userId: string }): void {
  if (probe && probe.event === event && payload.userId === probe.userId) {
    const at = now();
    if (probe.count === 0) probe.first = at;
    probe.count++;
    probe.last = at;
  }
}

function onNewMessage(conn: Conn, message: MessageLike): void {
  if (!traffic || message.receiver !== conn.userId) return;
  traffic.onDeliver(message.clientMessageId, now());
}

function open(kind: Kind, url: string, user: UserCred, timeoutMs: number, presence: boolean): { conn: Conn; done: Promise<string | null> } {
  const conn: Conn = { userId: user.id, kind, connected: false };
  if (kind === 'b1') {
    const ws = new WebSocket(`${url}/?id=${user.id}`, { perMessageDeflate: false, handshakeTimeout: timeoutMs });
    conn.ws = ws;
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { event: string; message?: MessageLike; clientMessageId?: string };
      if (frame.event === 'new_message' && frame.message) onNewMessage(conn, frame.message);
      else if (frame.event === 'ack' && frame.clientMessageId) ackHandlers.get(frame.clientMessageId)?.();
    });
    const done = new Promise<string | null>((resolve) => {
      ws.once('open', () => {
        conn.connected = true;
        resolve(null);
      });
      ws.once('error', (error) => resolve(error.message));
    });
    ws.on('error', () => {});
    return { conn, done };
  }
  const auth = kind === 'parley' ? { token: user.token } : { userId: user.id, presence };
  const socket = ioClient(url, {
    transports: ['websocket'],
    auth,
    reconnection: false,
    forceNew: true,
    timeout: timeoutMs,
  });
  conn.sio = socket;
  socket.on('new_message', (payload: { message: MessageLike }) => onNewMessage(conn, payload.message));
  socket.on('user_online', (payload: { userId: string }) => onPresence('user_online', payload));
  socket.on('user_offline', (payload: { userId: string }) => onPresence('user_offline', payload));
  const done = new Promise<string | null>((resolve) => {
    socket.once('connect', () => {
      conn.connected = true;
      resolve(null);
    });
    socket.once('connect_error', (error) => resolve(error.message || 'connect_error'));
  });
  return { conn, done };
}

const ackHandlers = new Map<string, () => void>();

function closeConn(conn: Conn): void {
  conn.connected = false;
  if (conn.sio) {
    conn.sio.removeAllListeners();
    conn.sio.disconnect();
  }
  if (conn.ws) conn.ws.terminate();
}

async function connect(args: ConnectArgs): Promise<ConnectResult> {
  const list = groups.get(args.group) ?? [];
  groups.set(args.group, list);
  const hist = newHistogram();
  const bySecond: ReturnType<typeof newHistogram>[] = [];
  const errors = new Map<string, number>();
  let failures = 0;
  const t0 = now() + 20;
  const pending: Promise<void>[] = [];
  const interval = 1000 / args.rate;
  const deadline = t0 + args.users.length * interval + args.capMs;
  let i = 0;
  // Open-loop arrivals: socket i is due at t0 + i/rate, whatever happened to the ones before.
  while (i < args.users.length && now() < deadline) {
    const due = t0 + i * interval;
    const wait = due - now();
    if (wait > 1) await sleep(Math.min(wait, 50));
    while (i < args.users.length && t0 + i * interval <= now()) {
      const intended = t0 + i * interval;
      const { conn, done } = open(args.kind, args.url, args.users[i]!, args.timeoutMs, args.presence ?? false);
      list.push(conn);
      pending.push(
        done.then((error) => {
          if (error === null) {
            const ms = now() - intended;
            recordMs(hist, ms);
            const second = Math.floor((intended - t0) / 1000);
            recordMs((bySecond[second] ??= newHistogram()), ms);
          }
          else {
            failures++;
            errors.set(error, (errors.get(error) ?? 0) + 1);
          }
        }),
      );
      i++;
    }
  }
  const notStarted = args.users.length - i;
  const settled = await Promise.race([Promise.all(pending).then(() => true), sleep(Math.max(0, deadline - now())).then(() => false)]);
  const connected = list.filter((c) => c.connected).length;
  return {
    attempted: args.users.length,
    connectedInGroup: connected,
    failures: failures + notStarted,
    timedOut: settled ? 0 : pending.length - hist.totalCount - failures,
    errors: Object.fromEntries(errors),
    latency: summarize(hist),
    p99BySecond: Array.from(bySecond, (second) => (second ? summarize(second).p99 : NaN)),
    arrivalS: (args.users.length * interval) / 1000,
    totalS: (now() - t0) / 1000,
  };
}

async function runTraffic(args: TrafficArgs): Promise<TrafficResult> {
  const conns = groups.get(args.group) ?? [];
  const tag = randomBytes(4).toString('hex');
  const content = 'x'.repeat(args.contentLength);
  const deliver = newHistogram();
  const ack = newHistogram();
  const sendLag = newHistogram();
  const intended = new Map<string, number>();
  const total = Math.round(args.rate * (args.warmupS + args.measureS));
  const t0 = now() + 20;
  const measuredFrom = t0 + args.warmupS * 1000;
  const windowEnd = measuredFrom + args.measureS * 1000;
  let delivered = 0;
  let deliveredInWindow = 0;
  let acked = 0;
  let ackedInWindow = 0;
  let nacks = 0;
  let measuredOffered = 0;
  let measuredOutstanding = 0;
  const nackCodes = new Map<string, number>();

  traffic = {
    intended,
    measuredFrom,
    onDeliver(cid, at) {
      const due = intended.get(cid);
      if (due === undefined) return;
      if (at >= measuredFrom && at < windowEnd) deliveredInWindow++;
      if (due >= measuredFrom) {
        recordMs(deliver, at - due);
        delivered++;
      }
    },
  };

  const interval = 1000 / args.rate;
  let k = 0;
  const outstanding = new Set<string>();
  const finish = (cid: string, due: number) => {
    outstanding.delete(cid);
    if (due >= measuredFrom) measuredOutstanding--;
  };
  while (k < total) {
    const wait = t0 + k * interval - now();
    if (wait > 1) await sleep(Math.min(wait, 20));
    else await new Promise((resolve) => setImmediate(resolve));
    const at = now();
    while (k < total && t0 + k * interval <= at) {
      const due = t0 + k * interval;
      const pair = args.pairs[k % args.pairs.length]!;
      const flip = !args.oneWay && Math.floor(k / args.pairs.length) % 2 === 1;
      const from = conns[flip ? pair[1] : pair[0]]!;
      const to = conns[flip ? pair[0] : pair[1]]!;
      const cid = `b${tag}_${k}`;
      intended.set(cid, due);
      outstanding.add(cid);
      if (due >= measuredFrom) {
        measuredOffered++;
        measuredOutstanding++;
      }
      recordMs(sendLag, at - due);
      const payload = { receiverId: to.userId, content, clientMessageId: cid };
      if (from.kind === 'b1') {
        ackHandlers.set(cid, () => {
          ackHandlers.delete(cid);
          const t = now();
          acked++;
          if (t >= measuredFrom && t < windowEnd) ackedInWindow++;
          if (due >= measuredFrom) recordMs(ack, t - due);
          finish(cid, due);
        });
        from.ws!.send(JSON.stringify(payload));
      } else {
        from.sio!.emit('send_message', payload, (reply: { ok: boolean; error?: { code: string } }) => {
          const t = now();
          if (reply?.ok) {
            acked++;
            if (t >= measuredFrom && t < windowEnd) ackedInWindow++;
            if (due >= measuredFrom) recordMs(ack, t - due);
          } else {
            nacks++;
            const code = reply?.error?.code ?? 'unknown';
            nackCodes.set(code, (nackCodes.get(code) ?? 0) + 1);
          }
          finish(cid, due);
        });
      }
      k++;
    }
  }
  const sentUntil = now();
  // Drain: wait (bounded) for the measured messages still in flight.
  const drainDeadline = Math.max(sentUntil, windowEnd) + args.drainS * 1000;
  while (now() < drainDeadline && (measuredOutstanding > 0 || delivered < measuredOffered - nacks)) await sleep(20);
  traffic = undefined;
  for (const cid of outstanding) ackHandlers.delete(cid);
  return {
    offeredRate: args.rate,
    measuredOffered,
    delivered,
    acked: acked,
    nacks,
    nackCodes: Object.fromEntries(nackCodes),
    lostOrLate: measuredOffered - delivered,
    deliveredRate: deliveredInWindow / args.measureS,
    ackedRate: ackedInWindow / args.measureS,
    deliver: summarize(deliver),
    ack: summarize(ack),
    sendLag: summarize(sendLag),
  };
}

/** One user comes online, then leaves: how long until the last observer has heard each. */
async function presenceProbe(args: ProbeArgs): Promise<ProbeResult> {
  probe = { userId: args.prober.id, event: 'user_online', count: 0, first: 0, last: 0 };
  const t0 = now();
  const { conn, done } = open(args.kind, args.url, args.prober, args.timeoutMs, true);
  const error = await done;
  const connectedAt = now();
  const deadline = t0 + args.timeoutMs;
  while (probe.count < args.expected && now() < deadline) await sleep(1);
  const online = { count: probe.count, firstMs: probe.first - t0, lastMs: probe.last - t0, connectMs: connectedAt - t0 };
  probe = { userId: args.prober.id, event: 'user_offline', count: 0, first: 0, last: 0 };
  const t1 = now();
  // An explicit client disconnect: Parley announces it at once (no grace period).
  if (conn.sio) conn.sio.disconnect();
  else conn.ws?.close();
  const deadline2 = t1 + args.timeoutMs;
  while (probe.count < args.expected && now() < deadline2) await sleep(1);
  const offline = { count: probe.count, firstMs: probe.first - t1, lastMs: probe.last - t1 };
  probe = undefined;
  closeConn(conn);
  return { error, online, offline };
}

serveIpc<LoadgenApi>({
  ping: () => now(),
  begin: () => meter.begin(),
  read: () => meter.read(),
  connect,
  traffic: runTraffic,
  probe: presenceProbe,
  flood: (args) => {
    const conn = groups.get(args.group)?.[0];
    if (!conn?.sio) throw new Error(`flood: no Socket.IO connection in group ${args.group}`);
    return flood(conn.sio, args);
  },
  count: (args) => (groups.get(args.group) ?? []).filter((c) => c.connected).length,
  close: (args) => {
    for (const conn of groups.get(args.group) ?? []) closeConn(conn);
    groups.delete(args.group);
    return null;
  },
  exit: () => {
    for (const list of groups.values()) for (const conn of list) closeConn(conn);
    setTimeout(() => process.exit(0), 20);
  },
});
announceReady('loadgen', { ready: true, fdLimit: process.env.BENCH_FD_LIMIT });
