import { useCallback, useEffect, useRef } from 'react';
import { useSocket } from '../../connection/SocketContext';

/** This long without a keystroke ends a typing session. */
export const TYPING_IDLE_MS = 800;

/**
 * Tells `peerId` when I am typing without flooding the socket: one `typing_start` per typing
 * session and one `typing_stop` when it ends — after a pause, on send, on an emptied input,
 * on switching chat or leaving.
 */
export function useTypingEmitter(peerId: string): { onDraftChange(draft: string): void; stop(): void } {
  const socket = useSocket();
  const typing = useRef(false);
  const idleTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const stop = useCallback(() => {
    clearTimeout(idleTimer.current);
    idleTimer.current = undefined;
    if (!typing.current) return;
    typing.current = false;
    socket.emit('typing_stop', { receiverId: peerId });
  }, [socket, peerId]);

  const onDraftChange = useCallback(
    (draft: string) => {
      if (!draft.trim()) {
        stop();
        return;
      }
      if (!typing.current) {
        typing.current = true;
        socket.emit('typing_start', { receiverId: peerId });
      }
      clearTimeout(idleTimer.current);
      idleTimer.current = setTimeout(stop, TYPING_IDLE_MS);
    },
    [socket, peerId, stop],
  );

  // A new peer or unmount ends the session with the old peer.
  useEffect(() => stop, [stop]);

  return { onDraftChange, stop };
}
