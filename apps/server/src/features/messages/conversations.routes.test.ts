import type { ConversationsResponse, SendMessageAck } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { getJson, registerUser, type TestUser } from '../../test/clients.js';
import { serverForThisFile } from '../../test/testServer.js';

const file = serverForThisFile();
const list = (user: TestUser, query: string) => getJson<ConversationsResponse>(file.server.url, `/api/conversations${query}`, user.accessToken);

describe('GET /api/conversations (contract v2: paged)', () => {
  it('pages newest activity first through nextCursor, every conversation once, with unread counts', async () => {
    const [me, b, c, d] = [await registerUser(file.server.url), await registerUser(file.server.url), await registerUser(file.server.url), await registerUser(file.server.url)];
    for (const partner of [b, c, d]) {
      const socket = await file.open(partner);
      const ack: SendMessageAck = await socket.socket.emitWithAck('send_message', { receiverId: me.user.id, content: `hi from ${partner.user.username}` });
      expect(ack.ok).toBe(true);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const { status, body } = await list(me, `?limit=2${cursor ? `&before=${encodeURIComponent(cursor)}` : ''}`);
      expect(status).toBe(200);
      expect(body.conversations.length).toBeLessThanOrEqual(2);
      for (const row of body.conversations) expect(row).toMatchObject({ unreadCount: 1, lastMessage: { receiver: me.user.id } });
      seen.push(...body.conversations.map((row) => row.user.id));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([d.user.id, c.user.id, b.user.id]);
    const whole = await list(me, '');
    expect(whole.body).toMatchObject({ nextCursor: null });
    expect(whole.body.conversations).toHaveLength(3);
  });

  it('refuses a limit out of range and a cursor it did not make', async () => {
    const me = await registerUser(file.server.url);
    expect((await list(me, '?limit=0')).status).toBe(400);
    expect((await list(me, '?limit=101')).status).toBe(400);
    const forged = await list(me, '?before=not-a-cursor');
    expect(forged.status).toBe(400);
    expect(forged.body).toMatchObject({ error: { code: 'VALIDATION_ERROR' } });
  });
});
