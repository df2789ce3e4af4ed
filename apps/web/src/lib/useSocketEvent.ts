import { useEffect, useLayoutEffect, useRef } from 'react';
import type { ServerEventName } from '@parley/protocol';
import { useSocket } from './socketContext';
import { listen, type ServerPayload } from './socketEvents';

/**
 * Listens to one server event for the component's life, with payloads checked against the
 * protocol (see `listen`). The listener registered with the socket never changes (so
 * StrictMode's double effect leaves exactly one), while the handler it calls is always the
 * latest render's.
 */
export function useSocketEvent<E extends ServerEventName>(event: E, handler: (payload: ServerPayload<E>) => void): void {
  const socket = useSocket();
  const handlerRef = useRef(handler);
  useLayoutEffect(() => {
    handlerRef.current = handler;
  });

  useEffect(() => listen(socket, event, (payload) => handlerRef.current(payload)), [socket, event]);
}
