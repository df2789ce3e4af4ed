import { describe, expect, it } from 'vitest';
import { UserLanes } from './userLanes.js';

describe('UserLanes', () => {
  it('runs one user width at a time, in the order entered; leaving starts the next', () => {
    const lanes = new UserLanes(1);
    const started: string[] = [];
    const leaveA = lanes.enter('u1', () => started.push('a'));
    const leaveB = lanes.enter('u1', () => started.push('b'));
    lanes.enter('u1', () => started.push('c'));
    expect(started).toEqual(['a']);
    leaveA();
    expect(started).toEqual(['a', 'b']);
    leaveA(); // twice does nothing: it must not free b's place
    expect(started).toEqual(['a', 'b']);
    leaveB();
    expect(started).toEqual(['a', 'b', 'c']);
  });

  it('keeps each user to their own lane', () => {
    const lanes = new UserLanes(1);
    const started: string[] = [];
    lanes.enter('u1', () => started.push('u1 first'));
    lanes.enter('u1', () => started.push('u1 second'));
    lanes.enter('u2', () => started.push('u2 first'));
    expect(started).toEqual(['u1 first', 'u2 first']);
  });

  it('lets `width` run at once', () => {
    const lanes = new UserLanes(2);
    const started: number[] = [];
    const leaves = [1, 2, 3].map((n) => lanes.enter('u1', () => started.push(n)));
    expect(started).toEqual([1, 2]);
    leaves[1]!();
    expect(started).toEqual([1, 2, 3]);
  });

  it('a wait left before its start never starts, and takes no place', () => {
    const lanes = new UserLanes(1);
    const started: string[] = [];
    const leaveA = lanes.enter('u1', () => started.push('a'));
    const leaveB = lanes.enter('u1', () => started.push('b'));
    lanes.enter('u1', () => started.push('c'));
    leaveB();
    leaveA();
    expect(started).toEqual(['a', 'c']);
  });
});
