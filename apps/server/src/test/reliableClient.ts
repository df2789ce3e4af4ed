import { io as connectClient } from 'socket.io-client';
import type { Message, SendMessageAck, SyncResponse } from '@parley/protocol';
import type { ClientSocket, TestUser } from './clients.js';
import { sleep } from './clients.js';

/** Failures worth retrying: the server or its store is briefly away, or asks us to slow down. */
const RETRYABLE = new Set(['STORE_UNAVAILABLE', 'RATE_LIMITED', 'INTERNAL_ERROR']);

/** How far back a catch-up reaches before the last sync point, to absorb late commits. */
const SYNC_OVERLAP_MS = 5000;

/**
 * A node client that behaves as the web client does for reliability: it sends in order with
 * one clientMessageId per message and retries until acked, listens before it fetches, and
 * catches up through GET /api/sync after every (re)connect. Tests use it to inject faults.
 */
export class ReliableClient {
  readonly socket: ClientSocket;
  /** Every message this client knows, by id: the union of live events and catch-up. */
  readonly messages = new Map<string, Message>();
  /** How many `new_message` events arrived per message id (must never exceed one). */
  readonly liveDeliveries = new Map<string, number>();
  /** How many `message_updated` events (edits, deletes) arrived per message id. */
  readonly liveUpdates = new Map<string, number>();
  private syncPoint: string;
  private catchingUp: Promise<void> = Promise.resolve();

  constructor(
    private readonly baseUrl: string,
    readonly user: TestUser,
  ) {
    this.syncPoint = new Date(Date.now() - SYNC_OVERLAP_MS).toISOString();
    this.socket = connectClient(baseUrl, {
      auth: { token: user.accessToken },
      transports: ['websocket'],
      forceNew: true,
      reconnectionDelay: 100,
      reconnectionDelayMax: 500,
    });
    this.socket.on('new_message', ({ message }) => {
      this.liveDeliveries.set(message.id, (this.liveDeliveries.get(message.id) ?? 0) + 1);
      this.keep(message);
    });
    this.socket.on('message_updated', ({ message }) => {
      this.liveUpdates.set(message.id, (this.liveUpdates.get(message.id) ?? 0) + 1);
      this.keep(message);
    });
    // Listening is set up above, so fetching after connect lets nothing slip between.
    this.socket.on('connect', () => {
      this.catchingUp = this.catchingUp.then(() => this.catchUp()).catch(() => undefined);
    });
  }

  async catchUp(): Promise<void> {
    let since = new Date(new Date(this.syncPoint).getTime() - SYNC_OVERLAP_MS).toISOString();
    let after: string | null = null;
    for (let page = 0; page < 1000; page += 1) {
      const query = new URLSearchParams({ since, ...(after ? { after } : {}) });
      const response = await fetch(`${this.baseUrl}/api/sync?${query}`, {
        headers: { authorization: `Bearer ${this.user.accessToken}` },
      });
      if (!response.ok) throw new Error(`sync answered ${response.status}`);
      const body = (await response.json()) as SyncResponse;
      for (const message of body.messages) this.keep(message);
      ({ nextSince: since, nextAfter: after } = body);
      this.syncPoint = body.nextSince;
      if (!body.hasMore) return;
    }
  }

  /** Keeps the newest version of a message: catch-up may bring an older copy after a live event. */
  private keep(message: Message): void {
    const known = this.messages.get(message.id);
    if (!known || known.updatedAt <= message.updatedAt) this.messages.set(message.id, message);
  }

  /** Sends and retries the same clientMessageId until the server acks it as stored. */
  async send(receiverId: string, content: string, clientMessageId: string, deadlineMs = 60_000): Promise<Message> {
    const deadline = Date.now() + deadlineMs;
    for (let attempt = 0; Date.now() < deadline; attempt += 1) {
      if (this.socket.connected) {
        try {
          const ack: SendMessageAck = await this.socket
            .timeout(2000)
            .emitWithAck('send_message', { receiverId, content, clientMessageId });
          if (ack.ok) return ack.message;
          if (!RETRYABLE.has(ack.error.code)) throw new Error(`send refused: ${ack.error.code}`);
        } catch (error) {
          if ((error as Error).message.startsWith('send refused')) throw error;
          // No ack in time: the server may be gone. Retry with the same id.
        }
      }
      await sleep(Math.min(50 * 2 ** attempt, 500));
    }
    throw new Error(`message ${clientMessageId} was never acked`);
  }

  /** The transport drops and the client does not reconnect on its own (a device offline). */
  dropTransport(): void {
    this.socket.io.reconnection(false);
    this.socket.io.engine.close();
  }

  /** Back online: reconnects and waits for the connection (catch-up starts on connect). */
  async reconnect(): Promise<void> {
    this.socket.io.reconnection(true);
    const connected = new Promise<void>((resolve) => this.socket.once('connect', () => resolve()));
    this.socket.connect();
    await connected;
  }

  /** Drains the pending catch-up, then runs one more to be sure nothing is left behind. */
  async settle(): Promise<void> {
    await this.catchingUp;
    await this.catchUp();
  }

  contentsFrom(senderId: string): string[] {
    return [...this.messages.values()]
      .filter((message) => message.sender === senderId)
      .sort((x, y) => x.createdAt.localeCompare(y.createdAt) || x.id.localeCompare(y.id))
      .map((message) => message.content);
  }

  close(): void {
    this.socket.disconnect();
  }
}
