import { useCallback, useEffect, useRef } from 'react';
import { useConnectionState, useSocket } from '../../../lib/socketContext';

/** This long without a keystroke ends a typing session. */
export const TYPING_IDLE_MS = 800;

/**
 * Tells `peerId` when I am typing without flooding the socket: one `typing_start` per typing
 * session and one `typing_stop` when it ends — after a pause, on send, on an emptied input,
 * on switching chat or leaving.
 *
 * Typing hints are worthless late: they go out `volatile` (Socket.IO drops rather than buffers
 * them while disconnected) and not at all while we are not connected, so a reconnect never
 * replays a stale start/stop pair. Losing the connection ends the session quietly; the next
 * keystroke once connected starts a fresh one.
 */
export function useTypingEmitter(peerId: string): { onDraftChange(draft: string): void; stop(): void } {
  const socket = useSocket();
  const connected = useConnectionState() === 'connected';
  const connectedRef = useRef(connected);
  const typing = useRef(false);
  const idleTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    connectedRef.current = connected;
    if (connected) return;
    clearTimeout(idleTimer.current);
    idleTimer.current = undefined;
    typing.current = false;
  }, [connected]);

  const stop = useCallback(() => {
    clearTimeout(idleTimer.current);
    idleTimer.current = undefined;
    if (!typing.current) return;
    typing.current = false;
    if (connectedRef.current && socket.connected) socket.volatile.emit('typing_stop', { receiverId: peerId });
  }, [socket, peerId]);

  const onDraftChange = useCallback(
    (draft: string) => {
      if (!draft.trim()) {
        stop();
        return;
      }
      if (!connectedRef.current || !socket.connected) return;
      if (!typing.current) {
        typing.current = true;
        socket.volatile.emit('typing_start', { receiverId: peerId });
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
