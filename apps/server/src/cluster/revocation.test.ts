import type { SessionsResponse } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { connectedSocket, getJson, openSocket, registerUser, signIn } from '../test/clients.js';
import { clusterForThisFile } from '../test/testCluster.js';

// Issue 13, test 7: a session ended on node A closes its socket on node B at once (through the
// adapter, the session's room), and node B and C refuse its access token from then on (the
// revocation list is in Redis), though neither node did the revoking.

const file = clusterForThisFile(3);
const opened = file.opened;

describe('session revocation across nodes (issue 13, test 7)', { timeout: 120_000 }, () => {
  it('revoking a session on node A disconnects its socket on node B, and every node refuses its token', async () => {
    const [nodeA, nodeB, nodeC] = file.cluster.nodes as [typeof file.cluster.nodes[0], typeof file.cluster.nodes[0], typeof file.cluster.nodes[0]];
    const phone = await registerUser(nodeA.url);
    const laptop = await signIn(nodeA.url, phone.user.username);
    const phoneSocket = await connectedSocket(nodeB.url, phone.accessToken);
    const laptopSocket = await connectedSocket(nodeC.url, laptop.accessToken);
    opened.push(phoneSocket, laptopSocket);
    await Promise.all([phoneSocket.waitFor('online_users', 1, 15_000), laptopSocket.waitFor('online_users', 1, 15_000)]);
    const disconnected = new Promise<string>((resolve) => phoneSocket.socket.once('disconnect', (reason) => resolve(reason)));

    // From the laptop, on node A: sign the phone out.
    const { body } = await getJson<SessionsResponse>(nodeA.url, '/api/auth/sessions', laptop.accessToken);
    const phoneSession = body.sessions.find((session) => !session.current);
    expect(phoneSession).toBeDefined();
    const ended = await fetch(`${nodeA.url}/api/auth/sessions/${phoneSession!.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${laptop.accessToken}` },
    });
    expect(ended.status).toBe(204);

    // The phone's socket on node B is told and closed by the server.
    expect(await phoneSocket.waitFor('session_expired', 1, 15_000)).toEqual([{ code: 'SESSION_REVOKED' }]);
    expect(await disconnected).toBe('io server disconnect');
    // Its token is refused on the nodes that did not revoke it, by HTTP and by handshake.
    for (const node of [nodeB, nodeC]) {
      expect((await getJson(node.url, '/api/auth/sessions', phone.accessToken)).status).toBe(401);
      const retry = openSocket(node.url, phone.accessToken);
      const refusal = await retry.refused();
      expect((refusal.data as { code?: string } | undefined)?.code).toBe('SESSION_REVOKED');
    }
    // The laptop, on node C, is untouched.
    expect(laptopSocket.socket.connected).toBe(true);
    expect(laptopSocket.events('session_expired')).toEqual([]);
  });
});
