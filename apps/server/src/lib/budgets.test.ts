import { describe, expect, it } from 'vitest';
import { DOORS, memoryBudgets, unitsOf, windowOf, type BudgetConfig, type Rate } from './budgets.js';

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

  it('spends units by size: a dear call takes what many cheap ones would, and one dearer than the burst takes the burst', async () => {
    const budgets = memoryBudgets(everyDoor({ perSecond: 1, burst: 10 }));
    expect(await budgets.take('u1', 'presence_subscribe', 6)).toEqual({ allowed: true });
    expect((await budgets.take('u1', 'presence_subscribe', 6)).allowed).toBe(false);
    expect(await budgets.take('u2', 'presence_subscribe', 1000)).toEqual({ allowed: true });
    expect((await budgets.take('u2', 'presence_subscribe')).allowed).toBe(false);
  });
});

describe('unitsOf', () => {
  const ids = (count: number) => Array.from({ length: count }, (_, n) => String(n));

  it('charges the id lists one unit per 20 ids begun, at least 1; every other door 1', () => {
    expect(unitsOf('presence_subscribe', { userIds: ids(200) })).toBe(10);
    expect(unitsOf('presence_subscribe', { userIds: [] })).toBe(1);
    expect(unitsOf('message_delivered', { messageIds: ids(20) })).toBe(1);
    expect(unitsOf('message_delivered', { messageIds: ids(21) })).toBe(2);
    expect(unitsOf('message_delivered', { messageIds: 'many' })).toBe(1);
    expect(unitsOf('message_delivered', null)).toBe(1);
    expect(unitsOf('mark_as_read', { messageIds: ids(100) })).toBe(1);
    expect(unitsOf('rest', undefined)).toBe(1);
  });
});
