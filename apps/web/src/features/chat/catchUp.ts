import type { Message } from '@parley/protocol';
import type { ParleyApi } from '../../lib/api';
import type { ParleySocket } from '../../lib/socket';
import { listen } from '../../lib/socketEvents';
import { loadSyncPoint, saveSyncPoint, withSafetyMargin } from './syncPoint';

export interface CatchUpHandlers {
  /** One page of changed messages, to merge. */
  onMessages(messages: Message[]): void;
  /** The catch-up finished; `changed` when it brought anything. */
  onDone(changed: boolean): void;
}

/**
 * After every (re)connect, and when the server says events may have been lost between its nodes
 * (`resync_required`), fetch what changed: from the last sync point (minus a safety margin,
 * de-duplicated on merge), page by page while the server has more.
 * Returns the stop. Start it before the socket connects, so nothing falls between the two.
 */
export function startCatchUp(socket: ParleySocket, api: Pick<ParleyApi, 'sync'>, meId: string, handlers: CatchUpHandlers): () => void {
  let running = false;
  let again = false;
  let stopped = false;

  async function catchUp() {
    if (running) {
      again = true; // A reconnect during a catch-up: run once more when this one ends.
      return;
    }
    running = true;
    let changed = false;
    try {
      let since = withSafetyMargin(loadSyncPoint(meId));
      let after: string | null = null;
      for (;;) {
        const page = await api.sync(since, after);
        if (stopped) return;
        if (page.messages.length) {
          changed = true;
          handlers.onMessages(page.messages);
        }
        saveSyncPoint(meId, page.nextSince);
        if (!page.hasMore) break;
        since = page.nextSince;
        after = page.nextAfter;
      }
    } catch {
      // Offline again or the server is busy: the next connect catches up from the same point.
    } finally {
      running = false;
    }
    if (stopped) return;
    handlers.onDone(changed);
    if (again) {
      again = false;
      void catchUp();
    }
  }

  const onConnect = () => void catchUp();
  socket.on('connect', onConnect);
  const stopResync = listen(socket, 'resync_required', () => void catchUp());
  return () => {
    stopped = true;
    socket.off('connect', onConnect);
    stopResync();
  };
}
