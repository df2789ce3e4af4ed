/**
 * The IPC protocol between the bench coordinator (run.ts) and its child processes: the load
 * generator (loadgen.ts), Parley under test (server.ts) and the baseline relays (baseline.ts).
 * Each child's commands are an interface of handlers; the child serves exactly that interface
 * (`serveIpc`) and the coordinator calls it through `Child<Api>` (procs.ts), so a renamed command
 * or a changed argument fails the typecheck on both sides.
 */
import type { LatencySummary, ProcessMetrics } from './common.js';

// ---- the load generator ------------------------------------------------------------------------

export type ClientKind = 'parley' | 'b2' | 'b1';

export interface UserCred {
  id: string;
  token?: string;
}

export interface ConnectArgs {
  group: string;
  kind: ClientKind;
  url: string;
  users: UserCred[];
  rate: number;
  timeoutMs: number;
  presence?: boolean;
  /** Stop waiting for stragglers after this long past the last intended connect. */
  capMs: number;
}

export interface ConnectResult {
  attempted: number;
  connectedInGroup: number;
  failures: number;
  timedOut: number;
  errors: Record<string, number>;
  latency: LatencySummary;
  /** Connect p99 (ms) of the sockets due in each second of the storm: a cold start shows here. */
  p99BySecond: number[];
  arrivalS: number;
  totalS: number;
}

export interface TrafficArgs {
  group: string;
  /** Pairs of indexes into the group's connections. */
  pairs: [number, number][];
  rate: number;
  warmupS: number;
  measureS: number;
  drainS: number;
  contentLength: number;
  /** Only the first of each pair sends (S7's bystander); by default the direction alternates. */
  oneWay?: boolean;
}

export interface TrafficResult {
  offeredRate: number;
  measuredOffered: number;
  delivered: number;
  acked: number;
  nacks: number;
  nackCodes: Record<string, number>;
  lostOrLate: number;
  deliveredRate: number;
  ackedRate: number;
  deliver: LatencySummary;
  ack: LatencySummary;
  sendLag: LatencySummary;
}

export interface ProbeArgs {
  group: string;
  kind: ClientKind;
  url: string;
  prober: UserCred;
  expected: number;
  timeoutMs: number;
}

export interface ProbeResult {
  error: string | null;
  online: { count: number; firstMs: number; lastMs: number; connectMs: number };
  offline: { count: number; firstMs: number; lastMs: number };
}

/** S7: the client -> server events one user floods (`typing` alternates typing_start and typing_stop). */
export const FLOOD_EVENTS = [
  'send_message',
  'mark_as_read',
  'message_delivered',
  'typing',
  'presence_subscribe',
  'edit_message',
  'delete_message',
] as const;
export type FloodEvent = (typeof FLOOD_EVENTS)[number];

export interface FloodArgs {
  /** A group of one connection: the flooder. */
  group: string;
  event: FloodEvent;
  /** Events per second, open loop, from `startAt` (epoch ms, the bench's clock) for `seconds`. */
  rate: number;
  seconds: number;
  startAt: number;
  /** The other user: receiver of sends and typing, sender whose messages are read. */
  targetId: string;
  /** message_delivered: received message ids (100 an event); presence_subscribe: user ids (200 an
   * event); edit_message, delete_message: own message ids, one an event, in turn. */
  ids: string[];
  contentLength: number;
  /** How long to wait for the acks still missing once the flood has been sent. */
  settleCapS: number;
}

export interface FloodResult {
  event: FloodEvent;
  sent: number;
  /** Whether this event has an ack at all (typing has none: what the server drops is not seen). */
  acked: boolean;
  answered: number;
  ok: number;
  rateLimited: number;
  /** Other refusals, by error code. */
  refusals: Record<string, number>;
  unanswered: number;
  /** From the first event to the last answer (or the wait's end). */
  tookS: number;
}

export interface LoadgenApi {
  ping(): number;
  begin(): void;
  read(): ProcessMetrics;
  connect(args: ConnectArgs): Promise<ConnectResult>;
  traffic(args: TrafficArgs): Promise<TrafficResult>;
  probe(args: ProbeArgs): Promise<ProbeResult>;
  flood(args: FloodArgs): Promise<FloodResult>;
  count(args: { group: string }): number;
  close(args: { group: string }): null;
  exit(): void;
}

// ---- the systems under test --------------------------------------------------------------------

export type ServerMetrics = ProcessMetrics & { sockets: number; loggedErrors?: number; firstErrors?: string[] };

/** What every system under test answers: Parley (server.ts) and the baselines (baseline.ts). */
export interface SystemApi {
  begin(): void;
  read(): ServerMetrics;
  /** Collects garbage, then reads: memory per idle socket. */
  gc(): Promise<ProcessMetrics>;
  exit(): void;
}

export interface BaselineApi extends SystemApi {
  /** Drops every client without presence fan-out, so the next scenario starts clean. */
  reset(): null;
}

// ---- the children, by script name --------------------------------------------------------------

export interface Children {
  loadgen: { api: LoadgenApi; ready: { ready: true; fdLimit: string | undefined } };
  server: { api: SystemApi; ready: { ready: true; port: number } };
  baseline: { api: BaselineApi; ready: { ready: true; wsPort: number; sioPort: number } };
}
export type ChildScript = keyof Children;

// ---- the wire ----------------------------------------------------------------------------------

/** Each API is an object of one-argument (or no-argument) handlers. */
export type ApiShape<Api> = { [K in keyof Api]: (args: never) => unknown };
type ArgsOf<F> = F extends (...args: infer P) => unknown ? P : never;
export type ResultOf<F> = F extends (...args: never[]) => infer R ? Awaited<R> : never;
/** A command's argument (none for a no-argument handler), then an optional timeout. */
export type CallArgs<F> = ArgsOf<F> extends [] ? [args?: undefined, timeoutMs?: number] : [args: ArgsOf<F>[0], timeoutMs?: number];

export interface IpcRequest<Api> {
  id: number;
  cmd: keyof Api & string;
  args?: unknown;
}
export type IpcResponse = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

/** Child side: answer each request with the handler's result (or its error, as text). */
export function serveIpc<Api extends ApiShape<Api>>(handlers: Api): void {
  process.on('message', (raw: unknown) => {
    const req = raw as IpcRequest<Api>;
    if (!req || typeof req.id !== 'number') return;
    const handler = handlers[req.cmd] as unknown as ((args: unknown) => unknown) | undefined;
    Promise.resolve()
      .then(() => {
        if (!handler) throw new Error(`unknown command ${String(req.cmd)}`);
        return handler(req.args);
      })
      .then(
        (result) => process.send?.({ id: req.id, ok: true, result } satisfies IpcResponse),
        (error: unknown) => process.send?.({ id: req.id, ok: false, error: String((error as Error)?.stack ?? error) } satisfies IpcResponse),
      );
  });
  // The coordinator's death ends us too.
  process.on('disconnect', () => process.exit(0));
}

/** Child side: tells the coordinator the child is up, with what it needs to know. */
export function announceReady<S extends ChildScript>(_script: S, ready: Children[S]['ready']): void {
  process.send?.(ready);
}
