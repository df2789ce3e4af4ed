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
