import fc from 'fast-check';
import {
  DeleteMessagePayloadSchema,
  EditMessagePayloadSchema,
  MarkAsReadPayloadSchema,
  MessageDeliveredPayloadSchema,
  SendMessagePayloadSchema,
  TypingPayloadSchema,
  type ClientEventName,
} from '@parley/protocol';
import type { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectedPair, connectedSocket, sleep, type RecordingSocket, type TestUser } from '../../test/clients.js';
import { startTestServer, type TestServer } from '../../test/testServer.js';
// Storage is read directly here: a hostile payload might store a message addressed to nobody (or
// to a non-user), which no API would ever list. Everywhere else tests read state through the API.
import { messageModel } from './message.model.js';

const RUNS = 1000;
let server: TestServer;
let a: TestUser;
let b: TestUser;
let aSocket: RecordingSocket;
let bSocket: RecordingSocket;

beforeAll(async () => {
  server = await startTestServer();
  ({ a, b, aSocket, bSocket } = await connectedPair(server.url));
});
afterAll(async () => {
  aSocket.close();
  bSocket.close();
  await server.close();
});

/** Hostile values: wrong types, operator objects, prototype keys, huge strings (under the frame cap). */
function hostileValue(): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.anything({ withNullPrototype: true, withObjectString: true, withBigInt: false, maxDepth: 3 }),
    fc.constantFrom({ $ne: null }, { $gt: '' }, { $where: 'sleep(1000)' }, { $regex: '.*' }, [], {}, null, true, 0, -1, NaN),
    fc.string({ minLength: 4001, maxLength: 20_000 }),
    fc.string({ maxLength: 30 }),
    fc.constant(JSON.parse('{"__proto__":{"polluted":true}}') as unknown),
    fc.constant(JSON.parse('{"constructor":{"prototype":{"polluted":true}}}') as unknown),
  );
}

/** Payloads shaped like the event's own (its keys, hostile values) or anything at all. */
function hostilePayload(keys: string[]): fc.Arbitrary<unknown> {
  const shaped = fc.record(Object.fromEntries(keys.map((key) => [key, hostileValue()])), { requiredKeys: [] });
  return fc.oneof(shaped, hostileValue());
}

async function fuzzAckedEvent(event: ClientEventName, schema: z.ZodType, keys: string[]) {
  const payloads = fc.sample(hostilePayload(keys).filter((payload) => !schema.safeParse(payload).success), RUNS);
  expect(payloads.length).toBe(RUNS);
  for (let offset = 0; offset < payloads.length; offset += 100) {
    const batch = payloads.slice(offset, offset + 100);
    const acks = await Promise.all(
      batch.map((payload) => aSocket.socket.timeout(10_000).emitWithAck(event as 'send_message', payload as never)),
    );
    for (const ack of acks) expect(ack).toEqual({ ok: false, error: expect.objectContaining({ code: 'VALIDATION_ERROR' }) });
  }
}

describe('fuzzing every client event with 1,000 hostile payloads', () => {
  it('send_message: validation errors, nothing stored', async () => {
    await fuzzAckedEvent('send_message', SendMessagePayloadSchema, ['receiverId', 'content', 'clientMessageId', 'senderId', 'replyToId']);
    expect(await messageModel(server.db).countDocuments()).toBe(0);
  });

  it('mark_as_read and message_delivered: validation errors, nothing changed', async () => {
    await fuzzAckedEvent('mark_as_read', MarkAsReadPayloadSchema, ['senderId']);
    await fuzzAckedEvent('message_delivered', MessageDeliveredPayloadSchema, ['messageIds']);
    expect(bSocket.events('messages_read')).toHaveLength(0);
    expect(bSocket.events('messages_delivered')).toHaveLength(0);
  });

  it('edit_message and delete_message: validation errors, the message unchanged, nothing announced', async () => {
    const sent = await aSocket.socket.timeout(10_000).emitWithAck('send_message', { receiverId: b.user.id, content: 'stays as it is' });
    if (!sent.ok) throw new Error('send failed');
    await fuzzAckedEvent('edit_message', EditMessagePayloadSchema, ['messageId', 'content']);
    await fuzzAckedEvent('delete_message', DeleteMessagePayloadSchema, ['messageId']);
    expect(await messageModel(server.db).findById(sent.message.id).lean()).toMatchObject({ content: 'stays as it is', deletedAt: null, editedAt: null });
    expect(bSocket.events('message_updated')).toHaveLength(0);
  });

  it('typing_start and typing_stop: dropped, nothing forwarded', async () => {
    const payloads = fc.sample(hostilePayload(['receiverId']).filter((payload) => !TypingPayloadSchema.safeParse(payload).success), RUNS);
    for (const payload of payloads) {
      aSocket.socket.emit('typing_start', payload as never);
      aSocket.socket.emit('typing_stop', payload as never);
    }
    await sleep(300);
    expect(bSocket.events('user_typing')).toHaveLength(0);
    expect(bSocket.events('user_stop_typing')).toHaveLength(0);
  });

  it('leaves the server up and serving a valid send afterwards, with nothing polluted', async () => {
    expect(aSocket.socket.connected).toBe(true);
    const ack = await aSocket.socket.timeout(5000).emitWithAck('send_message', { receiverId: b.user.id, content: 'still here' });
    expect(ack.ok).toBe(true);
    // The edit/delete fuzz stored one message to aim at; this is the second.
    await bSocket.waitFor('new_message', 2);
    expect(await messageModel(server.db).countDocuments()).toBe(2);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
  });

  it('drops a socket that sends a frame over the 64 KB cap, and only that socket', async () => {
    const heavy = await connectedSocket(server.url, a.accessToken);
    const disconnected = new Promise<string>((resolve) => heavy.socket.once('disconnect', resolve));
    heavy.socket.emit('send_message', { receiverId: b.user.id, content: 'x'.repeat(100_000) }, () => {});
    expect(await disconnected).toMatch(/transport/);
    expect(aSocket.socket.connected).toBe(true);
    expect(await messageModel(server.db).countDocuments()).toBe(2);
  });
});
