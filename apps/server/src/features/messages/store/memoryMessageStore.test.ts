import { describe, expect, it } from 'vitest';
import { describeMessageStoreContract } from '../../../test/messageStoreContract.js';
import { createMemoryMessageStore } from './memoryMessageStore.js';

describeMessageStoreContract('memory message store', async ({ now }) => ({ store: createMemoryMessageStore({ now }) }));

describe('memory message store', () => {
  const [a, b] = ['aaaaaaaaaaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbbbbbbbbbb'];

  it('hands out copies: changing a returned message changes nothing stored', async () => {
    const store = createMemoryMessageStore();
    const quote = { id: 'cccccccccccccccccccccccc', sender: b, content: 'quoted' };
    const { message } = await store.insert({ sender: a, receiver: b, content: 'kept', clientMessageId: 'copy-test', replyTo: quote });
    message.content = 'changed';
    message.replyTo!.content = 'changed';
    quote.content = 'changed';
    expect(await store.findById(message.id)).toMatchObject({ content: 'kept', replyTo: { content: 'quoted' } });
  });

  it('takes its ids from `newId`', async () => {
    let next = 0;
    const store = createMemoryMessageStore({ newId: () => (next += 1).toString(16).padStart(24, '0') });
    const outcome = await store.insert({ sender: a, receiver: b, content: 'hi', clientMessageId: 'id-test-1' });
    expect(outcome.message.id).toBe('000000000000000000000001');
  });
});
