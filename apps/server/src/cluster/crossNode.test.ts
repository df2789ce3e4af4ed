import type { Message, PresenceSubscribeAck, SendMessageAck } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { connectedSocket, registerUser, type RecordingSocket } from '../test/clients.js';
import { clusterForThisFile } from '../test/testCluster.js';

// Issue 13, test 1: three real nodes sharing one database and one Redis; each person on a
// different node, and everything that crosses between people crosses between nodes.

const file = clusterForThisFile(3);
const opened = file.opened;

async function openOn(nodeIndex: number, token: string): Promise<RecordingSocket> {
  const socket = await connectedSocket(file.cluster.nodes[nodeIndex]!.url, token);
  opened.push(socket);
  // Its node has joined it to its rooms and subscribed to them once this arrives.
  await socket.waitFor('online_users', 1, 15_000);
  return socket;
}

function send(socket: RecordingSocket, receiverId: string, content: string): Promise<SendMessageAck> {
  return socket.socket.timeout(15_000).emitWithAck('send_message', { receiverId, content });
}

describe('users on different nodes (issue 13, test 1)', { timeout: 120_000 }, () => {
  it('message, receipts, typing and presence all cross nodes; a second tab on a third node sees its own message', async () => {
    const [a, b] = [await registerUser(file.cluster.nodes[0]!.url), await registerUser(file.cluster.nodes[1]!.url)];
    const bSocket = await openOn(1, b.accessToken);
    // b watches a (presence v2: only watchers hear); a is offline so far.
    const watching: PresenceSubscribeAck = await bSocket.socket.timeout(15_000).emitWithAck('presence_subscribe', { userIds: [a.user.id] });
    expect(watching).toMatchObject({ ok: true, users: [{ userId: a.user.id, online: false }] });
    const aTab1 = await openOn(0, a.accessToken);
    const aTab2 = await openOn(2, a.accessToken);

    // Presence: b, on node 1, hears once that a came online (first tab on node 0, second on node 2).
    const [online] = await bSocket.waitFor<{ userId: string }>('user_online', 1, 15_000);
    expect(online).toEqual({ userId: a.user.id });

    // A message sent on node 0 reaches b on node 1 and a's own tab on node 2, once each.
    const ack = await send(aTab1, b.user.id, 'across the nodes');
    expect(ack.ok).toBe(true);
    const sent = (ack as { message: Message }).message;
    const [received] = await bSocket.waitFor<{ message: Message }>('new_message', 1, 15_000);
    expect(received!.message).toMatchObject({ id: sent.id, content: 'across the nodes', sender: a.user.id });
    const [echo] = await aTab2.waitFor<{ message: Message }>('new_message', 1, 15_000);
    expect(echo!.message.id).toBe(sent.id);
    await aTab1.waitFor('new_message', 1, 15_000);

    // Delivery receipt: b acknowledges on node 1; both of a's tabs hear it.
    await bSocket.socket.timeout(15_000).emitWithAck('message_delivered', { messageIds: [sent.id] });
    for (const tab of [aTab1, aTab2]) {
      const [delivered] = await tab.waitFor<{ messageIds: string[]; receiverId: string }>('messages_delivered', 1, 15_000);
      expect(delivered).toMatchObject({ receiverId: b.user.id, messageIds: [sent.id] });
    }

    // Read receipt: b reads on node 1; both of a's tabs hear it.
    await bSocket.socket.timeout(15_000).emitWithAck('mark_as_read', { senderId: a.user.id });
    for (const tab of [aTab1, aTab2]) {
      const [read] = await tab.waitFor<{ readerId: string; senderId: string }>('messages_read', 1, 15_000);
      expect(read).toMatchObject({ readerId: b.user.id, senderId: a.user.id });
    }

    // Typing: b types on node 1; a's tabs on nodes 0 and 2 see it, b's own socket does not.
    bSocket.socket.emit('typing_start', { receiverId: a.user.id });
    for (const tab of [aTab1, aTab2]) {
      expect(await tab.waitFor('user_typing', 1, 15_000)).toEqual([{ userId: b.user.id }]);
    }
    expect(bSocket.events('user_typing')).toEqual([]);

    // A reply from node 1 reaches both of a's tabs, and nothing arrived twice anywhere.
    const reply = await send(bSocket, a.user.id, 'and back');
    expect(reply.ok).toBe(true);
    for (const socket of [aTab1, aTab2, bSocket]) {
      const messages = await socket.waitFor<{ message: Message }>('new_message', 2, 15_000);
      expect(messages.map((event) => event.message.content)).toEqual(['across the nodes', 'and back']);
    }
    // (The first message made them partners: b was told a's state again, as presence v2 does.)
    expect(bSocket.events<{ userId: string }>('user_online').every((event) => event.userId === a.user.id)).toBe(true);

    // a signs out on both nodes: b, on a third, hears a go offline once, after the last tab.
    aTab1.close();
    const stillOnline: PresenceSubscribeAck = await bSocket.socket.timeout(15_000).emitWithAck('presence_subscribe', { userIds: [a.user.id] });
    expect(stillOnline).toMatchObject({ ok: true, users: [{ userId: a.user.id, online: true }] });
    expect(bSocket.events('user_offline')).toEqual([]);
    aTab2.close();
    const [offline] = await bSocket.waitFor<{ userId: string }>('user_offline', 1, 15_000);
    expect(offline).toMatchObject({ userId: a.user.id });
  });
});
