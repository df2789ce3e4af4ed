/**
 * Answered socket events of one user at once (socket/eventBudget.ts). Measured against 2 with the
 * noisy-neighbour test: the same for the bystander, and 1 is the tighter bound (ADR 0021).
 */
export const SOCKET_LANE_WIDTH = 1;
/** REST requests of one user at once (http/restBudget.ts): a page load sends a few together. */
export const REST_LANE_WIDTH = 2;

/**
 * Each user's work runs at most `width` at a time on this node, in arrival order (issue 10 "no
 * user can slow anyone else down", ADR 0021): answered socket events (socket/eventBudget.ts) and
 * REST requests (http/restBudget.ts), each with lanes of their own. Budgets bound how much a user
 * may ask for; lanes bound how much of the database one user holds at once, however cheap or dear
 * each call is: a flood waits in its own lane (bounded by the queued cap, or the budget's burst)
 * instead of in everyone's. A lane gates only when a handler starts, never what it awaits, so
 * handlers cannot deadlock on it.
 */
export class UserLanes {
  private readonly lanes = new Map<string, { running: number; waiting: (() => void)[] }>();

  constructor(private readonly width: number) {}

  /**
   * Calls `start` as soon as one of `userId`'s places is free (at once when one is), after every
   * start entered before it. Returns `leave`: it frees the place (or drops the wait, when `start`
   * has not run yet); calling it again does nothing.
   */
  enter(userId: string, start: () => void): () => void {
    const lane = this.lanes.get(userId) ?? { running: 0, waiting: [] };
    this.lanes.set(userId, lane);
    let state: 'waiting' | 'running' | 'left' = 'waiting';
    const run = () => {
      state = 'running';
      lane.running += 1;
      start();
    };
    if (lane.running < this.width && lane.waiting.length === 0) run();
    else lane.waiting.push(run);
    return () => {
      if (state === 'left') return;
      if (state === 'waiting') lane.waiting.splice(lane.waiting.indexOf(run), 1);
      else lane.running -= 1;
      state = 'left';
      this.next(userId, lane);
    };
  }

  private next(userId: string, lane: { running: number; waiting: (() => void)[] }): void {
    while (lane.running < this.width && lane.waiting.length > 0) lane.waiting.shift()!();
    if (lane.running === 0 && lane.waiting.length === 0) this.lanes.delete(userId);
  }
}
