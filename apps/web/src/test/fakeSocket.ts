import type { ClientEventName, ServerEventName, ServerToClientEvents } from '@parley/protocol';
import type { ParleySocket } from '../lib/socket';

type Listener = (...args: unknown[]) => void;

export interface EmittedEvent {
  event: string;
  payload: unknown;
  /** The ack callback, when the client asked for one (already wrapped by any timeout). */
  ack?: (response: unknown) => void;
  /** Sent with `socket.volatile.emit`: dropped rather than buffered while disconnected. */
  volatile?: boolean;
}

/**
 * A stand-in for the Socket.IO client socket: records what the app does to it (connect,
 * disconnect, listeners, emits) and lets a test play the server.
 */
export class FakeSocket {
  connected = false;
  active = false;
  auth: Record<string, unknown> = {};
  connectCalls = 0;
  disconnectCalls = 0;
  /** The token each connect() was made with, in order. */
  connectTokens: unknown[] = [];
  readonly emitted: EmittedEvent[] = [];
  private readonly listeners = new Map<string, Set<Listener>>();

  on(event: string, listener: Listener): this {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
    return this;
  }

  off(event: string, listener: Listener): this {
    this.listeners.get(event)?.delete(listener);
    return this;
  }

  listenerCount(event: string): number {
    return this.listeners.get(event)?.size ?? 0;
  }

  /** Every event with at least one listener, and how many. */
  listenerCounts(): Record<string, number> {
    return Object.fromEntries([...this.listeners].filter(([, set]) => set.size > 0).map(([event, set]) => [event, set.size]));
  }

  connect(): this {
    this.connectCalls += 1;
    this.connectTokens.push(this.auth.token);
    this.active = true;
    return this;
  }

  disconnect(): this {
    this.disconnectCalls += 1;
    const wasConnected = this.connected;
    this.active = false;
    this.connected = false;
    if (wasConnected) this.fire('disconnect', 'io client disconnect');
    return this;
  }

  emit(event: string, ...args: unknown[]): this {
    const last = args[args.length - 1];
    const hasAck = typeof last === 'function';
    this.emitted.push({
      event,
      payload: args[0],
      ...(hasAck ? { ack: (response: unknown) => (last as Listener)(response) } : {}),
    });
    return this;
  }

  /** Like Socket.IO's `volatile` flag: recorded with `volatile: true`. */
  get volatile(): { emit: (event: string, ...args: unknown[]) => FakeSocket } {
    return {
      emit: (event, ...args) => {
        this.emit(event, ...args);
        this.emitted[this.emitted.length - 1]!.volatile = true;
        return this;
      },
    };
  }

  /** Like Socket.IO: the ack gets `(err, response)` and `err` after `ms` without an answer. */
  timeout(ms: number): { emit: (event: string, payload: unknown, ack: (err: Error | null, response?: unknown) => void) => void } {
    return {
      emit: (event, payload, ack) => {
        let settled = false;
        const timer = setTimeout(() => {
          if (settled) return;
          settled = true;
          ack(new Error('operation has timed out'));
        }, ms);
        this.emitted.push({
          event,
          payload,
          ack: (response) => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            ack(null, response);
          },
        });
      },
    };
  }

  // ---- playing the server ----

  serverEmit<E extends ServerEventName>(event: E, payload: Parameters<ServerToClientEvents[E]>[0]): void {
    this.fire(event, payload);
  }

  acceptConnection(): void {
    this.connected = true;
    this.active = true;
    this.fire('connect');
  }

  /** A refused handshake: `connect_error` with `message` and, like the server's, optional `data`. */
  refuseConnection(message: string, data?: unknown): void {
    this.connected = false;
    this.active = false;
    this.fire('connect_error', Object.assign(new Error(message), data === undefined ? {} : { data }));
  }

  dropConnection(reason = 'transport close'): void {
    this.connected = false;
    this.fire('disconnect', reason);
  }

  emitsOf(event: ClientEventName): EmittedEvent[] {
    return this.emitted.filter((emitted) => emitted.event === event);
  }

  private fire(event: string, ...args: unknown[]): void {
    for (const listener of [...(this.listeners.get(event) ?? [])]) listener(...args);
  }
}

let current = new FakeSocket();

/** A fresh fake socket that `getSocket()` will return (see `fakeSocketModule`). */
export function installFakeSocket(): FakeSocket {
  current = new FakeSocket();
  return current;
}

/** Use as `vi.mock('<path>/lib/socket', () => import('<path>/test/fakeSocket').then((m) => m.fakeSocketModule))`. */
export const fakeSocketModule = {
  getSocket: (): ParleySocket => current as unknown as ParleySocket,
};
