import type { MessageSearchResponse } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { getJson, registerUser, type RecordingSocket } from '../../test/clients.js';
import { serverForThisFile } from '../../test/testServer.js';

const file = serverForThisFile();

async function send(socket: RecordingSocket, receiverId: string, content: string) {
  const ack = await socket.socket.emitWithAck('send_message', { receiverId, content });
  if (!ack.ok) throw new Error(`send failed: ${ack.error.code}`);
  return ack.message;
}

describe('GET /api/messages/:userId/search', () => {
  it('finds text in one conversation only, any case, newest first, 20 a page', async () => {
    const { url } = file.server;
    const [alice, bob, carol] = await Promise.all([registerUser(url), registerUser(url), registerUser(url)]);
    const aliceSocket = await file.open(alice);
    const bobSocket = await file.open(bob);
    const carolSocket = await file.open(carol);

    for (let i = 1; i <= 25; i += 1) await send(i % 2 ? aliceSocket : bobSocket, i % 2 ? bob.user.id : alice.user.id, `Apple pie number ${i}`);
    await send(aliceSocket, bob.user.id, 'Nothing to see');
    await send(aliceSocket, bob.user.id, 'a.b literally');
    await send(carolSocket, alice.user.id, 'apple from another conversation');

    const search = (q: string, before?: string) =>
      getJson<MessageSearchResponse>(url, `/api/messages/${bob.user.id}/search?q=${encodeURIComponent(q)}${before ? `&before=${before}` : ''}`, alice.accessToken);

    const first = await search('APPLE');
    expect(first.status).toBe(200);
    expect(first.body.messages.map((m) => m.content)).toEqual(Array.from({ length: 20 }, (_, i) => `Apple pie number ${25 - i}`));
    expect(first.body.nextCursor).toBe(first.body.messages[19]!.id);
    const second = await search('apple', first.body.nextCursor!);
    expect(second.body.messages.map((m) => m.content)).toEqual([5, 4, 3, 2, 1].map((n) => `Apple pie number ${n}`));
    expect(second.body.nextCursor).toBeNull();

    // The query is text, not a pattern.
    expect((await search('a.b')).body.messages.map((m) => m.content)).toEqual(['a.b literally']);
    expect((await search('.*')).body.messages).toEqual([]);
    // Bob sees the same conversation from his side.
    const fromBob = await getJson<MessageSearchResponse>(url, `/api/messages/${alice.user.id}/search?q=nothing`, bob.accessToken);
    expect(fromBob.body.messages.map((m) => m.content)).toEqual(['Nothing to see']);
  });

  it('refuses an empty query, a bad id and a missing token', async () => {
    const { url } = file.server;
    const [alice, bob] = await Promise.all([registerUser(url), registerUser(url)]);
    expect((await getJson(url, `/api/messages/${bob.user.id}/search?q=`, alice.accessToken)).status).toBe(400);
    expect((await getJson(url, `/api/messages/not-an-id/search?q=x`, alice.accessToken)).status).toBe(400);
    expect((await fetch(`${url}/api/messages/${bob.user.id}/search?q=x`)).status).toBe(401);
  });
});
