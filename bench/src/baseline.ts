/**
 * Baselines B1 and B2 in one process (each idles while the other is measured):
 * - B1: a bare `ws` relay: a JSON frame {receiverId, content, clientMessageId} goes to every socket of
 *   the sender and receiver as {event: "new_message", message}, and the sender gets {event: "ack"}.
 * - B2: a bare Socket.IO relay with Parley's event names and shapes, no auth, no database. With
 *   `auth.presence` it also announces `user_online`/`user_offline` and sends `online_users` like
 *   Parley does, so presence fan-out and connect storms can be compared like for like.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { WebSocketServer, type WebSocket } from 'ws';
import { collectGarbage, selfMeter } from './common.js';
import { announceReady, serveIpc, type BaselineApi } from './ipc.js';

let seq = 0;
const idPrefix = randomBytes(6).toString('hex');
function makeMessage(sender: string, input: { receiverId: string; content: string; clientMessageId: string }) {
  const at = new Date().toISOString();
  return {
    id: idPrefix + (seq++).toString(16).padStart(12, '0'),
    clientMessageId: input.clientMessageId,
    sender,
    receiver: input.receiverId,
    content: input.content,
    createdAt: at,
    updatedAt: at,
    isRead: false,
    readAt: null,
    deliveredAt: null,
  };
}

function listen(server: ReturnType<typeof createServer>): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

async function main(): Promise<void> {
  const meter = selfMeter();

  // B1: ws
  const wsHttp = createServer();
  const wss = new WebSocketServer({ server: wsHttp, maxPayload: 64 * 1024 });
  const wsByUser = new Map<string, Set<WebSocket>>();
  wss.on('connection', (ws, req) => {
    const userId = new URL(req.url ?? '/', 'http://x').searchParams.get('id') ?? '';
    let set = wsByUser.get(userId);
    if (!set) wsByUser.set(userId, (set = new Set()));
    set.add(ws);
    ws.on('close', () => {
      set.delete(ws);
      if (set.size === 0) wsByUser.delete(userId);
    });
    ws.on('message', (data) => {
      let input: { receiverId: string; content: string; clientMessageId: string };
      try {
        input = JSON.parse(String(data));
      } catch {
        return;
      }
      const message = makeMessage(userId, input);
      const frame = JSON.stringify({ event: 'new_message', message });
      for (const target of [userId, input.receiverId]) for (const peer of wsByUser.get(target) ?? []) peer.send(frame);
      ws.send(JSON.stringify({ event: 'ack', clientMessageId: input.clientMessageId }));
    });
  });
  const wsPort = await listen(wsHttp);

  // B2: Socket.IO
  const sioHttp = createServer();
  const io = new Server(sioHttp, { maxHttpBufferSize: 64 * 1024, serveClient: false });
  const online = new Map<string, number>();
  let quiet = false;
  io.on('connection', (socket) => {
    const auth = socket.handshake.auth as { userId?: string; presence?: boolean };
    const userId = String(auth.userId ?? socket.id);
    void socket.join(userId);
    if (auth.presence) {
      const count = online.get(userId) ?? 0;
      online.set(userId, count + 1);
      if (count === 0) io.except(userId).emit('user_online', { userId });
      socket.emit('online_users', { userIds: [...online.keys()] });
      socket.on('disconnect', () => {
        const left = (online.get(userId) ?? 1) - 1;
        if (left > 0) return void online.set(userId, left);
        online.delete(userId);
        if (quiet) return;
        io.except(userId).emit('user_offline', { userId, lastSeen: new Date().toISOString() });
      });
    }
    socket.on('send_message', (input: { receiverId: string; content: string; clientMessageId: string }, ack: unknown) => {
      const message = makeMessage(userId, input);
      io.to([userId, input.receiverId]).emit('new_message', { message });
      if (typeof ack === 'function') ack({ ok: true, message });
    });
  });
  const sioPort = await listen(sioHttp);

  serveIpc<BaselineApi>({
    begin: () => meter.begin(),
    read: () => ({ ...meter.read(), sockets: io.engine.clientsCount + wss.clients.size }),
    gc: () => collectGarbage(meter),
    reset: () => {
      quiet = true;
      io.disconnectSockets(true);
      online.clear();
      quiet = false;
      for (const ws of wss.clients) ws.terminate();
      return null;
    },
    exit: () => {
      setTimeout(() => process.exit(0), 10);
    },
  });
  announceReady('baseline', { ready: true, wsPort, sioPort });
}

main().catch((error: unknown) => {
  console.error('baseline server failed:', error);
  process.exit(1);
});
