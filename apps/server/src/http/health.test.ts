import { describe, expect, it } from 'vitest';
import { connectedPair, sleep } from '../test/clients.js';
import { startTestServer } from '../test/testServer.js';

describe('health endpoints', () => {
  it('live and ready answer 200 while the server works; /api/health keeps its contract', async () => {
    const server = await startTestServer();
    try {
      const live = await fetch(`${server.url}/api/health/live`);
      expect(live.status).toBe(200);
      expect(await live.json()).toEqual({ status: 'ok' });
      const ready = await fetch(`${server.url}/api/health/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ready', draining: false, checks: { database: 'up' } });
      expect(await (await fetch(`${server.url}/api/health`)).json()).toEqual({ status: 'ok' });
    } finally {
      await server.close();
    }
  });

  it('readiness turns false at shutdown while the server still serves, then the server stops', async () => {
    const server = await startTestServer({ shutdownDrainDelayMs: 600 });
    const { b, aSocket, bSocket } = await connectedPair(server.url);
    const closed = server.close();
    try {
      await sleep(50);
      const ready = await fetch(`${server.url}/api/health/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ status: 'not_ready', draining: true, checks: { database: 'up' } });
      // Out of rotation, not dead: liveness holds and sends still land during the drain delay.
      expect((await fetch(`${server.url}/api/health/live`)).status).toBe(200);
      const ack = await aSocket.socket.timeout(2000).emitWithAck('send_message', { receiverId: b.user.id, content: 'while draining' });
      expect(ack.ok).toBe(true);
    } finally {
      await closed;
      aSocket.close();
      bSocket.close();
    }
    await expect(fetch(`${server.url}/api/health/live`)).rejects.toThrow();
  });
});
