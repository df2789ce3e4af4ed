import { SOCKET_TOO_MANY_CONNECTIONS, type ClientEventName } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { DOORS, type BudgetConfig } from '../lib/budgets.js';
import { openSocket, registerUser, sleep, type RecordingSocket } from '../test/clients.js';
import { serverForThisFile, testConfig } from '../test/testServer.js';

// Budgets and the socket cap on the real server: two of everything per user and door (sends
// aside: they mark the end of a test), three sockets per user.

const TINY = { perSecond: 0.001, burst: 2 };
const file = serverForThisFile({
  budgets: { ...(Object.fromEntries(DOORS.map((door) => [door, TINY])) as BudgetConfig), send_message: testConfig().budgets.send_message },
  maxSocketsPerUser: 3,
});

const ACKED: ClientEventName[] = ['mark_as_read', 'message_delivered', 'edit_message', 'delete_message', 'presence_subscribe'];
const SOME_ID = '0123456789abcdef01234567';

function emitWithAck(socket: RecordingSocket, event: ClientEventName, payload: unknown): Promise<{ ok: boolean; error?: { code: string } }> {
  return (socket.socket.timeout(5000) as unknown as { emitWithAck(event: string, payload: unknown): Promise<{ ok: boolean; error?: { code: string } }> }).emitWithAck(event, payload);
}

describe('per-user budgets on socket events', () => {
  it.each(ACKED)('%s past its budget answers RATE_LIMITED with a wait', async (event) => {
    const socket = await file.open(await registerUser(file.server.url));
    const payload = { senderId: SOME_ID, messageIds: [SOME_ID], messageId: SOME_ID, content: 'x', userIds: [] };
    const answers = [];
    for (let i = 0; i < 3; i += 1) answers.push(await emitWithAck(socket, event, payload));
    expect(answers.slice(0, 2).map((answer) => answer.error?.code)).not.toContain('RATE_LIMITED');
    expect(answers[2]).toEqual({ ok: false, error: { code: 'RATE_LIMITED', message: expect.any(String), details: { retryAfterMs: expect.any(Number) } } });
  });

  it('typing past its budget is dropped: the partner hears only what fits', async () => {
    const [a, b] = [await registerUser(file.server.url), await registerUser(file.server.url)];
    const [aSocket, bSocket] = [await file.open(a), await file.open(b)];
    for (let i = 0; i < 5; i += 1) aSocket.socket.emit('typing_start', { receiverId: b.user.id });
    // Events of one socket are handled in order: once the message is in, every hint before it is too.
    await emitWithAck(aSocket, 'send_message', { receiverId: b.user.id, content: 'marker' });
    await bSocket.waitFor('new_message');
    expect(bSocket.events('user_typing')).toHaveLength(2);
  });
});

describe('MAX_SOCKETS_PER_USER', () => {
  it('refuses the handshake beyond the cap with TOO_MANY_CONNECTIONS; a closed socket frees a place', async () => {
    const user = await registerUser(file.server.url);
    const sockets = [await file.open(user), await file.open(user), await file.open(user)];
    const fourth = openSocket(file.server.url, user.accessToken);
    const refusal = await fourth.refused();
    expect(refusal.message).toBe(SOCKET_TOO_MANY_CONNECTIONS);
    expect(refusal.data).toEqual({ code: SOCKET_TOO_MANY_CONNECTIONS });
    // Another user is not affected.
    await file.open(await registerUser(file.server.url));

    sockets[0]!.close();
    // The server hears of the close a moment later: retry until the place is free.
    const deadline = Date.now() + 5000;
    for (;;) {
      const again = openSocket(file.server.url, user.accessToken);
      try {
        await again.connected();
        again.close();
        break;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await sleep(50);
      }
    }
  });

  it('tabs opening all at once get exactly the cap between them', async () => {
    const user = await registerUser(file.server.url);
    const sockets = Array.from({ length: 8 }, () => openSocket(file.server.url, user.accessToken));
    const outcomes = await Promise.all(sockets.map((socket) => socket.connected().then(() => 'connected', (error: Error) => error.message)));
    for (const socket of sockets) socket.close();
    expect(outcomes.filter((outcome) => outcome === 'connected')).toHaveLength(3);
    expect(outcomes.filter((outcome) => outcome === SOCKET_TOO_MANY_CONNECTIONS)).toHaveLength(5);
  });
});
