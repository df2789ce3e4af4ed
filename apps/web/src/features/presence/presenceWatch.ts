import { PRESENCE_SUBSCRIBE_MAX, type PresenceState, type PresenceSubscribeAck } from '@parley/protocol';

/** How long the set of watched users must stay unchanged before it is sent (scrolling, typing). */
export const PRESENCE_WATCH_DEBOUNCE_MS = 300;
/** After a refused subscription (rate limited, say), when to try again. */
const RETRY_MS = 2000;

/** The part of the socket this needs. */
export interface WatchSocket {
  readonly connected: boolean;
  emit(event: 'presence_subscribe', payload: { userIds: string[] }, ack: (result: PresenceSubscribeAck) => void): unknown;
}

interface Wanted {
  ids: readonly string[];
  /** Lower first when the cap cuts: the open chat's partner before list rows. */
  priority: number;
  order: number;
}

/**
 * The users this client wants to hear about beyond its conversation partners (whom the server
 * watches for it): the union of what each part of the screen registers, at most 200, sent as one
 * `presence_subscribe` once changes settle, and again at once on every (re)connect, since a new
 * socket starts with no subscription. The ack's states go to `onStates`.
 */
export class PresenceWatch {
  private readonly wanted = new Map<symbol, Wanted>();
  private registered = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** What this socket is subscribed to (as sent), or null when it must be sent again. */
  private sent: string | null = '';

  constructor(
    private readonly socket: WatchSocket,
    private readonly onStates: (states: PresenceState[]) => void,
    private readonly debounceMs = PRESENCE_WATCH_DEBOUNCE_MS,
  ) {}

  /** Registers (or replaces) the ids one part of the screen shows. */
  set(key: symbol, ids: readonly string[], priority = 1): void {
    const order = this.wanted.get(key)?.order ?? this.registered++;
    this.wanted.set(key, { ids, priority, order });
    this.schedule(this.debounceMs);
  }

  delete(key: symbol): void {
    if (this.wanted.delete(key)) this.schedule(this.debounceMs);
  }

  /** The ids to subscribe to: deduplicated, by priority then registration, capped. */
  ids(): string[] {
    const parts = [...this.wanted.values()].sort((x, y) => x.priority - y.priority || x.order - y.order);
    const ids = new Set<string>();
    for (const part of parts) {
      for (const id of part.ids) {
        if (ids.size >= PRESENCE_SUBSCRIBE_MAX) return [...ids];
        ids.add(id);
      }
    }
    return [...ids];
  }

  /** A new socket is connected: it has no subscription yet, so send ours now. */
  connected(): void {
    this.sent = '';
    this.flush();
  }

  dispose(): void {
    clearTimeout(this.timer);
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), delayMs);
  }

  private flush(): void {
    clearTimeout(this.timer);
    if (!this.socket.connected) return;
    const ids = this.ids();
    const key = ids.join(',');
    if (key === this.sent) return;
    this.sent = key;
    this.socket.emit('presence_subscribe', { userIds: ids }, (result) => {
      if (result.ok) this.onStates(result.users);
      else {
        this.sent = null;
        this.schedule(RETRY_MS);
      }
    });
  }
}
