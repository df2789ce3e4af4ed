import { useEffect, useState, useSyncExternalStore } from 'react';

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "just now", "5 minutes ago", "yesterday", or a date for anything older than a week. */
export function formatRelative(iso: string, now: number): string {
  const elapsed = now - new Date(iso).getTime();
  if (elapsed < MINUTE) return 'just now';
  if (elapsed < HOUR) return relative.format(-Math.floor(elapsed / MINUTE), 'minute');
  if (elapsed < DAY) return relative.format(-Math.floor(elapsed / HOUR), 'hour');
  if (elapsed < 7 * DAY) return relative.format(-Math.floor(elapsed / DAY), 'day');
  return new Date(iso).toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
}

export function formatClockTime(iso: string): string {
  return new Date(iso).toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit' });
}

/** "Today", "Yesterday" or a full date: the label of a day separator. */
export function formatDay(iso: string, now: number): string {
  const day = startOfDay(new Date(iso).getTime());
  const today = startOfDay(now);
  if (day === today) return 'Today';
  if (today - day <= DAY && today - day > 0) return 'Yesterday';
  return new Date(iso).toLocaleDateString(undefined, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
}

export function startOfDay(epochMs: number): number {
  const date = new Date(epochMs);
  date.setHours(0, 0, 0, 0);
  return date.getTime();
}

/** The current time, re-read every `intervalMs` so relative labels stay true. */
export function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

// One clock for every "last seen" label: it ticks on each wall-clock minute, so all labels move
// together and none is more than a minute behind.
const minuteListeners = new Set<() => void>();
let minuteNow = Date.now();
let minuteTimer: ReturnType<typeof setTimeout> | undefined;

function tickEveryMinute(): void {
  minuteTimer = setTimeout(() => {
    minuteNow = Date.now();
    for (const listener of minuteListeners) listener();
    tickEveryMinute();
  }, MINUTE - (Date.now() % MINUTE) + 5);
}

function subscribeMinute(listener: () => void): () => void {
  if (minuteListeners.size === 0) {
    minuteNow = Date.now();
    tickEveryMinute();
  }
  minuteListeners.add(listener);
  return () => {
    minuteListeners.delete(listener);
    if (minuteListeners.size === 0) clearTimeout(minuteTimer);
  };
}

/** The current time at minute resolution, shared by every component that shows relative times. */
export function useMinuteClock(): number {
  return useSyncExternalStore(subscribeMinute, () => minuteNow);
}
