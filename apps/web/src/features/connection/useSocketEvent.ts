import { useEffect, useLayoutEffect, useRef } from 'react';
import type { ServerEventName, ServerToClientEvents } from '@parley/protocol';
import { useSocket } from './SocketContext';

type Payload<E extends ServerEventName> = Parameters<ServerToClientEvents[E]>[0];

/**
 * Listens to one server event for the component's life. The listener registered with the
 * socket never changes (so StrictMode's double effect leaves exactly one), while the handler
 * it calls is always the latest render's.
 */
export function useSocketEvent<E extends ServerEventName>(event: E, handler: (payload: Payload<E>) => void): void {
  const socket = useSocket();
  const handlerRef = useRef(handler);
  useLayoutEffect(() => {
    handlerRef.current = handler;
  });

  useEffect(() => {
    const listener = ((payload: Payload<E>) => handlerRef.current(payload)) as ServerToClientEvents[E];
    // The event maps are keyed unions; TypeScript cannot pair `E` with its listener generically.
    const typedSocket = socket as unknown as {
      on(event: E, listener: ServerToClientEvents[E]): void;
      off(event: E, listener: ServerToClientEvents[E]): void;
    };
    typedSocket.on(event, listener);
    return () => typedSocket.off(event, listener);
  }, [socket, event]);
}
