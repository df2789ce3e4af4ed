import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@parley/protocol';

export type ParleySocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let instance: ParleySocket | null = null;

/**
 * The one socket of the app. It connects to the page's own origin (the dev server proxies
 * /socket.io, production serves both), and only when someone calls `connect()` with a token.
 */
export function getSocket(): ParleySocket {
  instance ??= io({ autoConnect: false, transports: ['websocket', 'polling'] });
  return instance;
}
