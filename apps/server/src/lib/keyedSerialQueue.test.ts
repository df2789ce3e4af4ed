import { describe, expect, it } from 'vitest';
import { KeyedSerialQueue } from './keyedSerialQueue.js';

describe('KeyedSerialQueue.pending (the queue-depth metric)', () => {
  it('counts tasks waiting or running, across keys, and falls back to 0 whether they succeed or fail', async () => {
    const queue = new KeyedSerialQueue();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = queue.run('a', () => gate);
    const second = queue.run('a', async () => {
      throw new Error('fails');
    });
    const other = queue.run('b', async () => 'b');
    expect(queue.pending).toBe(3);
    await other;
    expect(queue.pending).toBe(2);
    release();
    await first;
    await expect(second).rejects.toThrow('fails');
    expect(queue.pending).toBe(0);
  });
});

describe('KeyedSerialQueue.runAll (one turn over several keys)', () => {
  it('waits for every earlier task of any of its keys, and later tasks of those keys wait for it', async () => {
    const queue = new KeyedSerialQueue();
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const onA = queue.run('a', async () => {
      await gate;
      order.push('a');
    });
    const both = queue.runAll(['a', 'b'], async () => {
      order.push('a+b');
    });
    const onB = queue.run('b', async () => {
      order.push('b');
    });
    const onC = queue.run('c', async () => {
      order.push('c');
    });
    await onC;
    expect(order).toEqual(['c']);
    release();
    await Promise.all([onA, both, onB]);
    expect(order).toEqual(['c', 'a', 'a+b', 'b']);
    expect(queue.pending).toBe(0);
  });
});
