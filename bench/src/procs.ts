import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { now, round, sleep } from './common.js';
import type { CallArgs, Children, ChildScript, IpcRequest, IpcResponse, ResultOf, SystemApi } from './ipc.js';

const children = new Set<ChildProcess>();

/** Kills every child this run started (by its own pid), at once. */
export function killAll(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.clear();
}

/** An API's commands as the coordinator calls them: same names and arguments, answers as promises. */
export type Rpc<Api> = { [K in keyof Api]: (...rest: CallArgs<Api[K]>) => Promise<ResultOf<Api[K]>> };

/** A child process of the bench, answering the commands of its script's API (ipc.ts). */
export interface Child<S extends ChildScript> {
  pid: number;
  ready: Children[S]['ready'];
  /** `child.rpc.connect(args, timeoutMs?)`: one request over IPC, one answer (120 s by default). */
  rpc: Rpc<Children[S]['api']>;
  stop(): Promise<void>;
}

/**
 * Starts bench/src/<script>.ts as a Node process of its own, through bash so that `ulimit -n`
 * raises its file-descriptor limit to the hard limit (65,536 when allowed), with an IPC channel.
 */
export async function startChild<S extends ChildScript>(
  script: S,
  env: Record<string, string>,
  options: { exposeGc?: boolean } = {},
): Promise<Child<S>> {
  type Ready = Children[S]['ready'];
  const file = fileURLToPath(new URL(`./${script}.ts`, import.meta.url));
  // BENCH_CPU_PROF=<dir>: every child writes a V8 CPU profile there on exit (where does the time go?).
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const nodeArgs = [...process.execArgv, ...profile, ...(options.exposeGc ? ['--expose-gc'] : []), '--max-old-space-size=8192', file];
  const shell = 'ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"; export BENCH_FD_LIMIT="$(ulimit -n)"; exec "$0" "$@"';
  const child = spawn('bash', ['-c', shell, process.execPath, ...nodeArgs], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, ...env },
  });
  children.add(child);
  // A send to a child that has just exited fails the call (below); without a listener it would crash the run.
  child.on('error', () => undefined);
  let nextId = 1;
  const waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void; timer: NodeJS.Timeout }>();
  let readyResolve: (v: Ready) => void;
  let readyReject: (e: Error) => void;
  const ready = new Promise<Ready>((resolve, reject) => {
    readyResolve = resolve;
    readyReject = reject;
  });
  child.on('message', (raw: unknown) => {
    if ((raw as { ready?: boolean }).ready) return readyResolve(raw as Ready);
    const msg = raw as IpcResponse;
    const entry = waiting.get(msg.id);
    if (!entry) return;
    waiting.delete(msg.id);
    clearTimeout(entry.timer);
    if (msg.ok) entry.resolve(msg.result);
    else entry.reject(new Error(`${script}: ${msg.error}`));
  });
  child.on('exit', (code, signal) => {
    children.delete(child);
    const error = new Error(`${script} exited (code ${code}, signal ${signal})`);
    readyReject(error);
    for (const entry of waiting.values()) {
      clearTimeout(entry.timer);
      entry.reject(error);
    }
    waiting.clear();
  });
  const startTimer = setTimeout(() => readyReject(new Error(`${script} did not start within 60 s`)), 60_000);
  const readyMsg = await ready.finally(() => clearTimeout(startTimer));
  return {
    pid: child.pid!,
    ready: readyMsg,
    rpc: new Proxy({} as Rpc<Children[S]['api']>, {
      get: (_target, cmd: keyof Children[S]['api'] & string) => (args?: unknown, timeoutMs?: number) => call(cmd, args, timeoutMs),
    }),
    stop,
  };

  function call(cmd: keyof Children[S]['api'] & string, args: unknown, timeoutMs = 120_000): Promise<unknown> {
    const id = nextId++;
    if (!child.connected) return Promise.reject(new Error(`${script}: ${cmd} after the process exited`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error(`${script}: ${cmd} took more than ${timeoutMs} ms`));
      }, timeoutMs);
      waiting.set(id, { resolve, reject, timer });
      child.send({ id, cmd, args } satisfies IpcRequest<Children[S]['api']>);
    });
  }

  async function stop(): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      child.send({ id: 0, cmd: 'exit' } satisfies IpcRequest<Children[S]['api']>);
    } catch {
      // channel already gone
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  }
}

const TICKS = 100; // USER_HZ on Linux

function cpuTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime + stime
  } catch {
    return undefined;
  }
}

function rssMB(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+)/.exec(status)?.[1];
    return kb ? round(Number(kb) / 1024, 1) : undefined;
  } catch {
    return undefined;
  }
}

/** The local database process (FerretDB), found as our own child by name. */
export function findChildByName(name: string): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid && comm.startsWith(name)) return Number(entry);
    } catch {
      // gone
    }
  }
  return undefined;
}

/** CPU seconds and RSS of an outside process (the database), read from /proc. */
export function procMeter(pid: number | undefined) {
  let t0 = now();
  let c0 = pid ? cpuTicks(pid) : undefined;
  return {
    begin() {
      t0 = now();
      c0 = pid ? cpuTicks(pid) : undefined;
    },
    read() {
      if (!pid || c0 === undefined) return undefined;
      const c1 = cpuTicks(pid);
      if (c1 === undefined) return undefined;
      const wallS = (now() - t0) / 1000;
      const cpuS = (c1 - c0) / TICKS;
      return { wallS: round(wallS, 2), cpuS: round(cpuS, 2), cpuShare: round(cpuS / Math.max(wallS, 1e-9), 2), rssMB: rssMB(pid) };
    },
  };
}

function cpuStat(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
  const busy = user + nice + system + irq + softirq + steal;
  return { busy, total: busy + idle + iowait };
}

/** How many cores the whole machine kept busy (all processes, ours included). */
export function machineMeter() {
  let t0 = now();
  let s0 = cpuStat();
  return {
    begin() {
      t0 = now();
      s0 = cpuStat();
    },
    read() {
      const s1 = cpuStat();
      const wallS = (now() - t0) / 1000;
      return { busyCores: round((s1.busy - s0.busy) / TICKS / Math.max(wallS, 1e-9), 2), loadAverage1m: round(Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]), 2) };
    },
  };
}

/** What the coordinator needs of any system under test, Parley's server or the baselines'. */
export interface SystemChild {
  rpc: Pick<Rpc<SystemApi>, 'begin' | 'read' | 'gc'>;
  stop(): Promise<void>;
}

/** Waits (`capS` at most) until the server has used under a tenth of a core for a whole second. */
export async function settle(server: SystemChild, capS = 90): Promise<boolean> {
  for (let second = 0; second < capS; second++) {
    await server.rpc.begin();
    await sleep(1000);
    if ((await server.rpc.read()).cpuShare < 0.1) return true;
  }
  return false;
}
