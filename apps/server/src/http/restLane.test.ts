import { EventEmitter } from 'node:events';
import type { Request, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { UserLanes } from '../lib/userLanes.js';
import { restBudget } from './restBudget.js';

// The REST budget's lane alone, on stand-in requests: how many of one user's requests run at once.
// The budget itself, on the real server, is in restBudget.test.ts.

const allowAll = { take: async () => ({ allowed: true as const }) };
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function request(userId: string) {
  return { req: { userId } as unknown as Request, res: new EventEmitter() as unknown as Response & EventEmitter };
}

describe('restBudget lanes', () => {
  it('runs `width` of one user\'s requests at once; a response ending or a connection closing lets the next in', async () => {
    const middleware = restBudget(allowAll, new UserLanes(2));
    const started: string[] = [];
    const calls = ['a', 'b', 'c', 'd'].map((name) => ({ name, ...request('u1') }));
    for (const call of calls) await middleware(call.req, call.res, () => started.push(call.name));
    const other = request('u2');
    await middleware(other.req, other.res, () => started.push('other user'));
    await settle();
    expect(started).toEqual(['a', 'b', 'other user']);
    calls[0]!.res.emit('finish');
    calls[0]!.res.emit('close'); // both come; the place is freed once
    expect(started).toEqual(['a', 'b', 'other user', 'c']);
    calls[1]!.res.emit('close');
    expect(started).toEqual(['a', 'b', 'other user', 'c', 'd']);
  });
});
