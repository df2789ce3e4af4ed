import { CLIENT_EVENT_NAMES, type ClientEventName, type FailedAck } from '@parley/protocol';
import { AppError } from '../lib/AppError.js';
import { unitsOf, type Budgets } from '../lib/budgets.js';
import type { Logger } from '../lib/logger.js';
import type { Metrics } from '../lib/metrics.js';
import type { AppSocket } from './types.js';
import type { UserLanes } from '../lib/userLanes.js';

/** Events that are hints, never answered (contract: typing has no ack): over budget they are dropped. */
const UNANSWERED: ReadonlySet<string> = new Set<ClientEventName>(['typing_start', 'typing_stop']);
const KNOWN: ReadonlySet<string> = new Set<string>(CLIENT_EVENT_NAMES);

/** Answered events of each user being worked on now, on this node, across the user's sockets. */
export class QueuedPerUser {
  private readonly counts = new Map<string, number>();

  constructor(private readonly max: number) {}

  /** Counts one more unless the user already has `max` under way. */
  tryEnter(userId: string): boolean {
    const count = this.counts.get(userId) ?? 0;
    if (count >= this.max) return false;
    this.counts.set(userId, count + 1);
    return true;
  }

  leave(userId: string): void {
    const count = (this.counts.get(userId) ?? 1) - 1;
    if (count > 0) this.counts.set(userId, count);
    else this.counts.delete(userId);
  }
}

interface EventBudgetDeps {
  budgets: Budgets;
  queued: QueuedPerUser;
  /** How many of one user's answered events run at once (userLanes.ts); the rest wait their turn. */
  lanes: UserLanes;
  metrics: Metrics;
  logger: Logger;
}

type Ack = (result: unknown) => void;

/**
 * Charges the user's budget for every event this socket sends, before any handler sees it
 * (ADR 0021), by its size where a list of ids makes it dearer (`unitsOf`). An answered event over budget, or beyond the user's queued work, is answered
 * `{ ok: false, error: RATE_LIMITED }` and never reaches its handler; a typing hint is dropped.
 * Events no handler knows are dropped uncharged. Events still reach their handlers in the order
 * they arrived, whatever order their budget checks answer in (a sender's order matters), and an
 * answered event waits for a place in its user's lane; its answer frees the place.
 */
export function chargeEvents(socket: AppSocket, { budgets, queued, lanes, metrics, logger }: EventBudgetDeps): void {
  const { userId } = socket.data;
  // Work of a socket that is gone stops counting: a handler that never answered must not lock the user out.
  const underWay = new Set<() => void>();
  socket.on('disconnect', () => {
    for (const release of [...underWay]) release();
  });
  let turn = Promise.resolve();

  socket.use((packet, next) => {
    const [event, ...args] = packet as [unknown, ...unknown[]];
    if (typeof event !== 'string' || !KNOWN.has(event)) return;
    const door = event as ClientEventName;
    const clientAck = typeof args.at(-1) === 'function' ? (args.pop() as Ack) : undefined;
    const refuse = (error: AppError, label: string) => {
      metrics.rateLimited(label);
      clientAck?.({ ok: false, error: error.toJSON() } satisfies FailedAck);
    };

    let release = () => {};
    // Typing hints are forwarded, never stored: they skip the lane.
    let pass = () => next();
    if (!UNANSWERED.has(door)) {
      if (!queued.tryEnter(userId)) {
        refuse(new AppError('RATE_LIMITED', 'Too much of your work is already waiting; try again once it is answered'), 'queued_per_user');
        return;
      }
      let done = false;
      let leaveLane = () => {};
      release = () => {
        if (done) return;
        done = true;
        underWay.delete(release);
        queued.leave(userId);
        leaveLane();
      };
      // Entered in arrival order (the budget checks below answer in that order).
      pass = () => {
        if (done) return;
        leaveLane = lanes.enter(userId, () => next());
        // A handler that answered at once (while shutting down) did so inside enter: free its place now.
        if (done) leaveLane();
      };
      underWay.add(release);
      // Handlers take (payload, ack); the ack now also ends the count, with or without a client ack.
      packet.splice(1, packet.length - 1, args[0], (result: unknown) => {
        release();
        clientAck?.(result);
      });
    }

    const verdict = budgets.take(userId, door, unitsOf(door, args[0]));
    turn = turn
      .then(() => verdict)
      .then(
        (answer) => {
          if (answer.allowed) return pass();
          release();
          refuse(new AppError('RATE_LIMITED', `Too many ${door} events; slow down a little`, { retryAfterMs: answer.retryAfterMs }), door);
        },
        (error: unknown) => {
          // A budget that cannot be read lets the event in: limits must not become the outage.
          logger.warn({ err: error, event: door }, 'could not charge a budget; letting the event in');
          pass();
        },
      );
  });
}
