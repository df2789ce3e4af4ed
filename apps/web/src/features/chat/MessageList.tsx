import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { formatDay, startOfDay, useNow } from '../../lib/time';
import { MessageBubble, messageElementId, type MessageHandlers } from './MessageBubble';
import { itemCreatedAt, itemKey, type ThreadItem } from './selectors';

/** Within this many pixels of an edge counts as "at" it. */
const EDGE_PX = 48;

const HIGHLIGHT_MS = 2000;

interface MessageListProps extends Omit<MessageHandlers, 'onJumpTo'> {
  items: ThreadItem[];
  meId: string;
  peerName: string;
  hasOlder: boolean;
  loadingOlder: boolean;
  onLoadOlder(): void;
  /** The first message that was unread when the chat opened: the list opens there, under a divider. */
  firstUnreadKey?: string | null;
  /** A message to bring into view and mark (a search result jumped to). */
  focusKey?: string | null;
  /** Changes with every jump, so a second jump to the same message scrolls to it again. */
  focusRequest?: object | null;
}

function isOwn(item: ThreadItem, meId: string): boolean {
  return item.kind === 'outbox' || item.message.sender === meId;
}

/**
 * The scrolling thread. It follows new messages while the reader is at the bottom, offers a
 * "New messages" button when they are reading further up, and keeps their place when an older
 * page is added above.
 */
export function MessageList({
  items,
  meId,
  peerName,
  hasOlder,
  loadingOlder,
  onLoadOlder,
  firstUnreadKey = null,
  focusKey = null,
  focusRequest = null,
  ...handlers
}: MessageListProps) {
  const scrollerRef = useRef<HTMLDivElement>(null);
  /** The quoted message a click on a quote is looking for, while older pages load. */
  const [seeking, setSeeking] = useState<string | null>(null);
  const [notice, setNotice] = useState('');
  const atBottom = useRef(true);
  const previous = useRef<{ firstKey?: string; lastKey?: string; scrollHeight: number }>({ scrollHeight: 0 });
  const [unseenBelow, setUnseenBelow] = useState(false);
  const now = useNow(60_000);

  const first = items[0];
  const last = items[items.length - 1];
  const firstKey = first && itemKey(first, meId);
  const lastKey = last && itemKey(last, meId);

  useLayoutEffect(() => {
    const scroller = scrollerRef.current;
    if (!scroller) return;
    const before = previous.current;
    if (before.lastKey === undefined || lastKey !== before.lastKey) {
      // Something new at the end (or the first render): follow it if the reader was following,
      // or if it is ours; otherwise leave them where they are and say there is more below.
      if (atBottom.current || before.lastKey === undefined || (last && isOwn(last, meId))) {
        scroller.scrollTop = scroller.scrollHeight;
        atBottom.current = true;
        setUnseenBelow(false);
      } else {
        setUnseenBelow(true);
      }
    } else if (firstKey !== before.firstKey) {
      // An older page arrived above: keep the same messages under the reader's eyes.
      scroller.scrollTop += scroller.scrollHeight - before.scrollHeight;
    }
    previous.current = { firstKey, lastKey, scrollHeight: scroller.scrollHeight };
  }, [firstKey, lastKey, last, meId]);

  /** Scrolls to a message and gives it focus (and a moment of highlight); false if not loaded. */
  const reveal = useCallback((messageId: string): boolean => {
    const target = scrollerRef.current?.querySelector<HTMLElement>(`#${CSS.escape(messageElementId(messageId))}`);
    if (!target) return false;
    target.scrollIntoView?.({ block: 'center' });
    // The list item (it holds the day heading too) takes the focus, as a search hit's does.
    (target.closest<HTMLElement>('[role="listitem"]') ?? target).focus({ preventScroll: true });
    target.classList.add('message--highlight');
    setTimeout(() => target.classList.remove('message--highlight'), HIGHLIGHT_MS);
    return true;
  }, []);

  const jumpTo = useCallback(
    (messageId: string) => {
      setNotice('');
      if (!reveal(messageId)) setSeeking(messageId);
    },
    [reveal],
  );

  // The original is further back: load older pages until it is there, or there are none left.
  useEffect(() => {
    if (!seeking) return;
    if (reveal(seeking)) setSeeking(null);
    else if (loadingOlder) return;
    else if (hasOlder) onLoadOlder();
    else {
      setSeeking(null);
      setNotice('The original message is not available.');
    }
  }, [seeking, items, hasOlder, loadingOlder, onLoadOlder, reveal]);

  // Opening with unread messages: the first of them at the top (once), not the newest at the bottom.
  const shownUnread = useRef<string | null>(null);
  useLayoutEffect(() => {
    const scroller = scrollerRef.current;
    if (!scroller || !firstUnreadKey || shownUnread.current === firstUnreadKey) return;
    const divider = scroller.querySelector<HTMLElement>('[data-unread-divider]');
    if (!divider) return;
    shownUnread.current = firstUnreadKey;
    scroller.scrollTop += divider.getBoundingClientRect().top - scroller.getBoundingClientRect().top - 8;
    atBottom.current = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < EDGE_PX;
  }, [firstUnreadKey, firstKey]);

  // A search hit: centred, focused (so the keyboard and screen readers are there too), ringed a moment.
  const [found, setFound] = useState<string | null>(null);
  useLayoutEffect(() => {
    const scroller = scrollerRef.current;
    if (!scroller || !focusKey) return;
    const target = [...scroller.querySelectorAll<HTMLElement>('[data-key]')].find((element) => element.dataset.key === focusKey);
    if (!target) return;
    target.scrollIntoView?.({ block: 'center' });
    target.focus({ preventScroll: true });
    atBottom.current = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < EDGE_PX;
    setFound(focusKey);
    const timer = setTimeout(() => setFound(null), 2500);
    return () => clearTimeout(timer);
  }, [focusKey, focusRequest]);

  function handleScroll() {
    const scroller = scrollerRef.current;
    if (!scroller) return;
    atBottom.current = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < EDGE_PX;
    if (atBottom.current) setUnseenBelow(false);
    if (scroller.scrollTop < EDGE_PX && hasOlder && !loadingOlder) onLoadOlder();
  }

  function jumpToLatest() {
    const scroller = scrollerRef.current;
    if (!scroller) return;
    scroller.scrollTo({ top: scroller.scrollHeight, behavior: 'smooth' });
    atBottom.current = true;
    setUnseenBelow(false);
  }

  return (
    <div className="thread">
      <div
        ref={scrollerRef}
        className="thread__scroller"
        onScroll={handleScroll}
        data-testid="message-scroller"
        // Reachable by Tab, so the history scrolls from the keyboard (and older pages load).
        tabIndex={0}
        role="region"
        aria-label="Message history"
      >
        {loadingOlder && (
          <p className="thread__notice" aria-live="polite">
            Loading older messages…
          </p>
        )}
        <p className="thread__notice" role="status">
          {notice}
        </p>
        <div role="list" aria-label="Messages" className="thread__list">
          {items.map((item, index) => {
            const previousItem = items[index - 1];
            const key = itemKey(item, meId);
            const day = startOfDay(new Date(itemCreatedAt(item)).getTime());
            const newDay = !previousItem || startOfDay(new Date(itemCreatedAt(previousItem)).getTime()) !== day;
            return (
              // A list holds list items only: the day's heading goes inside the first of its day.
              <div
                role="listitem"
                className={`thread__item ${key === found ? 'thread__item--found' : ''}`}
                key={key}
                data-key={key}
                tabIndex={-1}
              >
                {newDay && <h3 className="thread__day">{formatDay(itemCreatedAt(item), now)}</h3>}
                {key === firstUnreadKey && (
                  <p className="thread__unread" data-unread-divider>
                    <span>New messages</span>
                  </p>
                )}
                <MessageBubble
                  item={item}
                  own={isOwn(item, meId)}
                  meId={meId}
                  peerName={peerName}
                  onRetry={handlers.onRetry}
                  onReply={handlers.onReply}
                  onEdit={handlers.onEdit}
                  onDelete={handlers.onDelete}
                  onJumpTo={jumpTo}
                />
              </div>
            );
          })}
        </div>
      </div>
      {unseenBelow && (
        <button type="button" className="button button--primary thread__jump" onClick={jumpToLatest}>
          New messages
        </button>
      )}
    </div>
  );
}
