import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ClientTooOldSchema,
  PROTOCOL_VERSION,
  SOCKET_CLIENT_TOO_OLD,
  type SendMessageAck,
} from '@parley/protocol';
import { openSocket, registerUser, type TestUser } from '../test/clients.js';
import { startTestServer, type TestServer } from '../test/testServer.js';

// A server that has moved on: it serves declared versions from PROTOCOL_VERSION up only.
let server: TestServer;
let alice: TestUser;
let bob: TestUser;
beforeAll(async () => {
  server = await startTestServer({ minClientProtocolVersion: PROTOCOL_VERSION });
  [alice, bob] = [await registerUser(server.url), await registerUser(server.url)];
});
afterAll(async () => {
  await server.close();
});

describe('socket handshake: the protocol version', () => {
  it('refuses a client that declares a version below the minimum, with a reason a person can act on', async () => {
    const stale = openSocket(server.url, alice.accessToken, { protocolVersion: PROTOCOL_VERSION - 1 });
    const error = await stale.refused();
    expect(error.message).toBe(SOCKET_CLIENT_TOO_OLD);
    const details = ClientTooOldSchema.parse(error.data);
    expect(details).toMatchObject({ minVersion: PROTOCOL_VERSION, serverVersion: PROTOCOL_VERSION });
    expect(details.message).toMatch(/reload/i);
    stale.close();
  });

  it('says "too old" even when the stale client’s token is no good: reloading fixes both', async () => {
    const stale = openSocket(server.url, 'not.a.jwt', { protocolVersion: 1 });
    expect((await stale.refused()).message).toBe(SOCKET_CLIENT_TOO_OLD);
    stale.close();
  });

  it('refuses a declared version that is not a positive integer as invalid', async () => {
    for (const protocolVersion of ['2', 0, 1.5, null]) {
      const odd = openSocket(server.url, alice.accessToken, { protocolVersion });
      expect((await odd.refused()).message).toBe('VALIDATION_ERROR');
      odd.close();
    }
  });

  it('serves a client that declares the current version', async () => {
    const current = openSocket(server.url, alice.accessToken, { protocolVersion: PROTOCOL_VERSION });
    await current.connected();
    await current.waitFor('online_users');
    current.close();
  });

  it('serves a client that declares no version (a v1 client of the published contract) end to end', async () => {
    const v1Sender = openSocket(server.url, alice.accessToken);
    const v1Receiver = openSocket(server.url, bob.accessToken);
    await Promise.all([v1Sender.connected(), v1Receiver.connected()]);
    const ack = (await v1Sender.socket.emitWithAck('send_message', { receiverId: bob.user.id, content: 'still here' })) as SendMessageAck;
    expect(ack.ok).toBe(true);
    const [event] = await v1Receiver.waitFor<{ message: { content: string } }>('new_message');
    expect(event!.message.content).toBe('still here');
    v1Sender.close();
    v1Receiver.close();
  });
});
