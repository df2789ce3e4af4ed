import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@parley/protocol';

export type ParleySocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let instance: ParleySocket | null = null;

/**
 * WebSocket first; where it cannot open (a proxy that refuses the upgrade), long-polling in the
 * same attempt: without `tryAllTransports` socket.io-client retries the WebSocket forever. Behind
 * several nodes the load balancer keeps a polling session on one node (deploy/haproxy.cfg).
 */
export const SOCKET_OPTIONS = { autoConnect: false, transports: ['websocket', 'polling'], tryAllTransports: true } as const;

/**
 * The one socket of the app. It connects to the page's own origin (the dev server proxies
 * /socket.io, production serves both), and only when someone calls `connect()` with a token.
 */
export function getSocket(): ParleySocket {
  instance ??= io({ ...SOCKET_OPTIONS, transports: [...SOCKET_OPTIONS.transports] });
  return instance;
}
