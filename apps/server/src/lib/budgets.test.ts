import { describe, expect, it } from 'vitest';
import { DOORS, memoryBudgets, windowOf, type BudgetConfig, type Rate } from './budgets.js';

const everyDoor = (rate: Rate) => Object.fromEntries(DOORS.map((door) => [door, rate])) as BudgetConfig;

describe('windowOf', () => {
  it('turns a rate and a burst into a whole-second window holding the burst', () => {
    expect(windowOf({ perSecond: 10, burst: 30 })).toEqual({ points: 30, duration: 3 });
    expect(windowOf({ perSecond: 0.5, burst: 5 })).toEqual({ points: 5, duration: 10 });
    // A burst below one second's worth: one second of the rate.
    expect(windowOf({ perSecond: 100, burst: 10 })).toEqual({ points: 100, duration: 1 });
  });
});

describe('memoryBudgets', () => {
  it('allows the burst, then refuses with a wait until the window ends', async () => {
    const budgets = memoryBudgets(everyDoor({ perSecond: 1, burst: 3 }));
    const verdicts = [];
    for (let i = 0; i < 5; i += 1) verdicts.push(await budgets.take('u1', 'send_message'));
    expect(verdicts.map((verdict) => verdict.allowed)).toEqual([true, true, true, false, false]);
    const refused = verdicts[3]!;
    expect(refused.allowed === false && refused.retryAfterMs).toBeGreaterThan(0);
    expect(refused.allowed === false && refused.retryAfterMs).toBeLessThanOrEqual(3000);
  });

  it('keeps one budget per user and per door', async () => {
    const budgets = memoryBudgets({ ...everyDoor({ perSecond: 100, burst: 100 }), mark_as_read: { perSecond: 0.01, burst: 1 } });
    expect(await budgets.take('u1', 'mark_as_read')).toEqual({ allowed: true });
    expect((await budgets.take('u1', 'mark_as_read')).allowed).toBe(false);
    expect(await budgets.take('u2', 'mark_as_read')).toEqual({ allowed: true });
    expect(await budgets.take('u1', 'send_message')).toEqual({ allowed: true });
    expect(await budgets.take('u1', 'rest')).toEqual({ allowed: true });
  });
});
