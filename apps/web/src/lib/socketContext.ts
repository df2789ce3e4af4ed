import { createContext, useContext } from 'react';
import type { ParleySocket } from './socket';

/** `outdated`: the server refused this client as too old for it; only a reload helps. */
export type ConnectionState = 'connected' | 'connecting' | 'offline' | 'outdated';

export interface SocketContextValue {
  socket: ParleySocket;
  connection: ConnectionState;
}

/** Provided by the connection feature's SocketProvider; read by every feature that talks. */
export const SocketContext = createContext<SocketContextValue | null>(null);

function useSocketContext(): SocketContextValue {
  const value = useContext(SocketContext);
  if (!value) throw new Error('Socket hooks must be used inside <SocketProvider>');
  return value;
}

export function useSocket(): ParleySocket {
  return useSocketContext().socket;
}

export function useConnectionState(): ConnectionState {
  return useSocketContext().connection;
}
