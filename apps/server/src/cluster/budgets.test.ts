import { SOCKET_TOO_MANY_CONNECTIONS } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { connectedSocket, openSocket, registerUser, type RecordingSocket } from '../test/clients.js';
import { clusterForThisFile } from '../test/testCluster.js';

// Issue 13 "Shared budgets": with REDIS_URL a user's budgets and socket cap are one across nodes,
// whichever node each request or socket lands on.

const file = clusterForThisFile(2, { BUDGET_MARK_AS_READ: '0.001/4', BUDGET_REST: '0.001/4', MAX_SOCKETS_PER_USER: '3' });

/** A socket that presence has counted (online_users comes after the store has it). */
async function counted(url: string, token: string): Promise<RecordingSocket> {
  const socket = await connectedSocket(url, token);
  file.opened.push(socket);
  await socket.waitFor('online_users', 1, 15_000);
  return socket;
}

describe('budgets shared across nodes (issue 13)', { timeout: 120_000 }, () => {
  it('a socket event budget spent on two nodes adds up to one', async () => {
    const [nodeA, nodeB] = file.cluster.nodes as [(typeof file.cluster.nodes)[0], (typeof file.cluster.nodes)[0]];
    const [user, partner] = [await registerUser(nodeA.url), await registerUser(nodeA.url)];
    const [onA, onB] = [await counted(nodeA.url, user.accessToken), await counted(nodeB.url, user.accessToken)];
    const markRead = (socket: RecordingSocket) => socket.socket.timeout(10_000).emitWithAck('mark_as_read', { senderId: partner.user.id });
    const codes = [];
    for (const socket of [onA, onB, onA, onB, onA, onB]) {
      const answer = await markRead(socket);
      codes.push(answer.ok ? 'ok' : answer.error.code);
    }
    expect(codes).toEqual(['ok', 'ok', 'ok', 'ok', 'RATE_LIMITED', 'RATE_LIMITED']);
  });

  it('the REST budget spent on two nodes adds up to one', async () => {
    const [nodeA, nodeB] = file.cluster.nodes as [(typeof file.cluster.nodes)[0], (typeof file.cluster.nodes)[0]];
    const user = await registerUser(nodeA.url);
    const statuses = [];
    for (const node of [nodeA, nodeB, nodeA, nodeB, nodeA, nodeB]) {
      const response = await fetch(`${node.url}/api/users/me`, { headers: { authorization: `Bearer ${user.accessToken}` } });
      statuses.push(response.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
  });

  it('MAX_SOCKETS_PER_USER counts the sockets on every node', async () => {
    const [nodeA, nodeB] = file.cluster.nodes as [(typeof file.cluster.nodes)[0], (typeof file.cluster.nodes)[0]];
    const user = await registerUser(nodeA.url);
    await counted(nodeA.url, user.accessToken);
    await counted(nodeA.url, user.accessToken);
    const third = await counted(nodeB.url, user.accessToken);
    for (const node of [nodeB, nodeA]) {
      const refused = await openSocket(node.url, user.accessToken).refused();
      expect(refused.message).toBe(SOCKET_TOO_MANY_CONNECTIONS);
    }
    // Closing the one on node B frees a place on node A.
    third.close();
    const deadline = Date.now() + 10_000;
    for (;;) {
      const again = openSocket(nodeA.url, user.accessToken);
      try {
        await again.connected();
        file.opened.push(again);
        break;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  });
});
