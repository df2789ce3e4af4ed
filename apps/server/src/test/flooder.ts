import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { io as connectClient } from 'socket.io-client';

/**
 * An abusive client in a process of its own (so its own work is not measured as the server's
 * slowness by the test that watches a bystander): one socket of one user that floods a socket
 * event, or hammers a REST route, when told to over IPC.
 */
export interface FloodOrder {
  kind: 'socket' | 'rest';
  /** Event name, or REST path. */
  target: string;
  /** The event's payload (a `content` gets a counter appended, so every edit changes something). */
  payload?: unknown;
  acked?: boolean;
  durationMs: number;
  /** Socket: events per 10 ms tick; REST: requests in flight at once. */
  intensity: number;
}
export interface FloodOutcome {
  sent: number;
  /** Answers that were RATE_LIMITED (socket acks) or 429 (REST). */
  refused: number;
  answered: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function runAsChild(url: string, token: string): Promise<void> {
  const socket = connectClient(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  process.on('message', (order: FloodOrder) => {
    void flood(order).then((outcome) => process.send!(outcome));
  });
  process.send!('ready');

  async function flood(order: FloodOrder): Promise<FloodOutcome> {
    const outcome = { sent: 0, refused: 0, answered: 0 };
    const until = performance.now() + order.durationMs;
    if (order.kind === 'rest') {
      const loop = async () => {
        while (performance.now() < until) {
          outcome.sent += 1;
          const response = await fetch(`${url}${order.target}`, { headers: { authorization: `Bearer ${token}` } });
          await response.arrayBuffer();
          outcome.answered += 1;
          if (response.status === 429) outcome.refused += 1;
        }
      };
      await Promise.all(Array.from({ length: order.intensity }, loop));
      return outcome;
    }
    const base = order.payload as Record<string, unknown>;
    while (performance.now() < until) {
      for (let i = 0; i < order.intensity; i += 1) {
        outcome.sent += 1;
        const payload = typeof base.content === 'string' ? { ...base, content: `${base.content} ${outcome.sent}` } : base;
        if (!order.acked) socket.emit(order.target, payload);
        else {
          socket.emit(order.target, payload, (answer: { error?: { code?: string } }) => {
            outcome.answered += 1;
            if (answer.error?.code === 'RATE_LIMITED') outcome.refused += 1;
          });
        }
      }
      await sleep(10);
    }
    // Every answer back before reporting: the next order starts on a server done with this one.
    const deadline = Date.now() + 60_000;
    while (order.acked && outcome.answered < outcome.sent && Date.now() < deadline) await sleep(20);
    return outcome;
  }
}

/** Starts a flooder process for the user of `token`; resolves once its socket is connected. */
export async function startFlooder(url: string, token: string) {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), [url, token], {
    execArgv: ['--import', 'tsx', '--conditions=@parley/source'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`the flooder exited with ${code}`)));
  });
  return {
    flood(order: FloodOrder): Promise<FloodOutcome> {
      return new Promise((resolve) => {
        child.once('message', (outcome) => resolve(outcome as FloodOutcome));
        child.send(order);
      });
    },
    stop(): void {
      child.kill();
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.send) {
  const [url, token] = process.argv.slice(2) as [string, string];
  runAsChild(url, token).catch((error: unknown) => {
    console.error('flooder failed:', error);
    process.exit(1);
  });
}
