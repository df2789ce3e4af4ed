import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents, SocketData } from '@parley/protocol';

// Inter-server events: none of our own (the adapter handles fan-out across nodes).
type InterServerEvents = Record<string, never>;

export type AppServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export { InFlight } from '../lib/inFlight.js';
