import { readJson, writeJson } from '../../lib/storage';
import { createStore, type Store } from '../../lib/store';

/**
 * Desktop notifications, a short chime, and the person's choices about them. Plain functions
 * and stores: app/ decides when something is worth interrupting for.
 */

const MUTED_KEY = 'parley:notifications-muted';

export type Permission = NotificationPermission | 'unsupported';

function readPermission(): Permission {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/** Muted: no notification, no sound, no toast (unread counts still show). Kept across reloads. */
export const muted: Store<boolean> = createStore(readJson(MUTED_KEY, (v): v is boolean => typeof v === 'boolean') ?? false);
muted.subscribe(() => writeJson(MUTED_KEY, muted.get()));

export const permission: Store<Permission> = createStore(readPermission());

/** Someone wrote since this page opened: the moment to offer notifications, not on first load. */
export const newsArrived: Store<boolean> = createStore(false);

export async function requestPermission(): Promise<void> {
  if (typeof Notification === 'undefined') return;
  try {
    permission.set(await Notification.requestPermission());
  } catch {
    permission.set(readPermission());
  }
}

export interface SystemNotification {
  title: string;
  body: string;
  /** One per chat: a newer message replaces the chat's previous notification instead of piling up. */
  tag: string;
  onClick(): void;
}

/** A desktop notification, when allowed; clicking it brings this tab forward and opens the chat. */
export function showSystemNotification({ title, body, tag, onClick }: SystemNotification): boolean {
  if (readPermission() !== 'granted') return false;
  try {
    const notification = new Notification(title, { body, tag, icon: '/favicon.svg' });
    notification.onclick = () => {
      window.focus();
      onClick();
      notification.close();
    };
    return true;
  } catch {
    // Some browsers (Android Chrome) allow notifications only from a service worker.
    return false;
  }
}

let audio: AudioContext | null = null;

/** A short two-note chime, made with WebAudio: nothing to download. Silent if audio is blocked. */
export function playChime(): void {
  try {
    audio ??= new AudioContext();
    if (audio.state === 'suspended') void audio.resume();
    const start = audio.currentTime;
    const gain = audio.createGain();
    gain.connect(audio.destination);
    gain.gain.setValueAtTime(0.0001, start);
    gain.gain.exponentialRampToValueAtTime(0.12, start + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.3);
    [880, 1320].forEach((frequency, index) => {
      const tone = audio!.createOscillator();
      tone.type = 'sine';
      tone.frequency.value = frequency;
      tone.connect(gain);
      tone.start(start + index * 0.09);
      tone.stop(start + 0.3);
    });
  } catch {
    // No AudioContext (or no audio device): the notification still shows.
  }
}
