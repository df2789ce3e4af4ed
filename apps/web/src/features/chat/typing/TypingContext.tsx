import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useSocketEvent } from '../../../lib/useSocketEvent';

/** A typing hint without news for this long is stale: the stop may have been lost. */
export const TYPING_EXPIRY_MS = 4_000;

interface TypingContextValue {
  isTyping(userId: string): boolean;
}

const TypingContext = createContext<TypingContextValue | null>(null);

/** Who is typing to me. Ephemeral hints: they expire by themselves and never persist. */
export function TypingProvider({ children }: { children: ReactNode }) {
  const [typing, setTyping] = useState<ReadonlySet<string>>(() => new Set());
  const expiryTimers = useRef(new Map<string, ReturnType<typeof setTimeout>>());

  const clear = useCallback((userId: string) => {
    clearTimeout(expiryTimers.current.get(userId));
    expiryTimers.current.delete(userId);
    // Returning the same set when nothing changes keeps the indicator from re-rendering.
    setTyping((current) => {
      if (!current.has(userId)) return current;
      const next = new Set(current);
      next.delete(userId);
      return next;
    });
  }, []);

  const mark = useCallback(
    (userId: string) => {
      clearTimeout(expiryTimers.current.get(userId));
      expiryTimers.current.set(
        userId,
        setTimeout(() => clear(userId), TYPING_EXPIRY_MS),
      );
      setTyping((current) => (current.has(userId) ? current : new Set(current).add(userId)));
    },
    [clear],
  );

  useEffect(() => {
    const timers = expiryTimers.current;
    return () => timers.forEach(clearTimeout);
  }, []);

  useSocketEvent('user_typing', ({ userId }) => mark(userId));
  useSocketEvent('user_stop_typing', ({ userId }) => clear(userId));
  useSocketEvent('user_offline', ({ userId }) => clear(userId));
  useSocketEvent('new_message', ({ message }) => clear(message.sender));

  const value = useMemo(() => ({ isTyping: (userId: string) => typing.has(userId) }), [typing]);
  return <TypingContext.Provider value={value}>{children}</TypingContext.Provider>;
}

export function useTyping(): TypingContextValue {
  const value = useContext(TypingContext);
  if (!value) throw new Error('useTyping must be used inside <TypingProvider>');
  return value;
}
