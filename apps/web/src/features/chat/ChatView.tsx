import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ReplyPreview, User } from '@parley/protocol';
import { Avatar } from '../../components/Avatar';
import { PresenceDot } from '../../components/PresenceDot';
import { isPhoneWidth } from '../../lib/media';
import { useSession } from '../../lib/session';
import { useMinuteClock } from '../../lib/time';
import { presenceText, useShownPresence, useWatchPresence } from '../../lib/presence';
import { historyOf } from './chatState';
import { useChatActions, useChatSelector } from './ChatContext';
import { Composer } from './Composer';
import { loadDraft, saveDraft } from './drafts';
import { MessageList } from './MessageList';
import { firstUnreadKey, itemKey, threadOf } from './selectors';
import { MessageSearch } from './MessageSearch';
import { useTyping } from './typing/TypingContext';
import { useTypingEmitter } from './typing/useTypingEmitter';
import './chat.css';

function PeerStatus({ peer }: { peer: User }) {
  const presence = useShownPresence();
  const { isTyping } = useTyping();
  const now = useMinuteClock();
  // Partners are watched by the server itself; a first chat with someone is not a partner yet,
  // and a subscription also brings the last-seen time of an offline partner after a reload.
  useWatchPresence([peer.id], 0);
  if (isTyping(peer.id)) return <span className="chat__status--typing">{peer.displayName} is typing…</span>;
  return <>{presenceText(presence.presenceOf(peer.id), presence.lastSeenOf(peer.id), now)}</>;
}

/** On a phone the chat covers the list: Escape goes back to it, like the Back button. */
function useEscapeClosesOnPhone(onBack: () => void) {
  useEffect(() => {
    function handleKeyDown(event: KeyboardEvent) {
      if (event.key !== 'Escape' || event.defaultPrevented || event.isComposing) return;
      if (!isPhoneWidth()) return;
      event.preventDefault();
      onBack();
    }
    document.addEventListener('keydown', handleKeyDown);
    return () => document.removeEventListener('keydown', handleKeyDown);
  }, [onBack]);
}

/** One conversation: header, thread and composer. Keyed by peer, so switching starts fresh. */
export function ChatView({ peer, onBack }: { peer: User; onBack(): void }) {
  const { ensureHistory, loadOlder, send, edit, remove, retry } = useChatActions();
  const [replyingTo, setReplyingTo] = useState<ReplyPreview | null>(null);
  const { me } = useSession();
  const presence = useShownPresence();
  const history = useChatSelector((state) => historyOf(state, peer.id));
  const messages = useChatSelector((state) => state.messagesByPeer[peer.id]);
  const outbox = useChatSelector((state) => state.outbox);
  const items = useMemo(() => threadOf(messages, outbox, me.id, peer.id), [messages, outbox, me.id, peer.id]);
  const unreadOnOpen = useChatSelector((state) => state.unreadOnOpen[peer.id] ?? 0);
  const firstUnread = useMemo(() => firstUnreadKey(items, peer.id, unreadOnOpen, me.id), [items, peer.id, unreadOnOpen, me.id]);
  // More unread than the newest page holds: page back until the first unread one is here.
  const needsOlderForUnread = unreadOnOpen > 0 && firstUnread === null && history.status === 'ready' && history.nextCursor !== null;
  useEffect(() => {
    if (needsOlderForUnread && !history.loadingOlder) loadOlder(peer.id);
  }, [needsOlderForUnread, history.loadingOlder, loadOlder, peer.id]);
  const typing = useTypingEmitter(peer.id);
  const [initialDraft] = useState(() => loadDraft(me.id, peer.id));

  useEffect(() => ensureHistory(peer.id), [ensureHistory, peer.id]);
  const loadOlderHere = useCallback(() => loadOlder(peer.id), [loadOlder, peer.id]);
  const editHere = useCallback((clientMessageId: string, content: string) => edit(peer.id, clientMessageId, content), [edit, peer.id]);
  const removeHere = useCallback((clientMessageId: string) => remove(peer.id, clientMessageId), [remove, peer.id]);

  // Search in this chat; a hit jumps to its message, paging back through history to reach it.
  const [searching, setSearching] = useState(false);
  // A new object per jump: jumping to the same message again brings it back into view again.
  const [jump, setJump] = useState<{ id: string } | null>(null);
  const jumpTo = jump?.id ?? null;
  const jumpItem = jumpTo ? items.find((item) => item.kind === 'message' && item.message.id === jumpTo) : undefined;
  const needsOlderForJump = jumpTo !== null && !jumpItem && history.status === 'ready' && history.nextCursor !== null;
  useEffect(() => {
    if (needsOlderForJump && !history.loadingOlder) loadOlder(peer.id);
  }, [needsOlderForJump, history.loadingOlder, loadOlder, peer.id]);
  useEscapeClosesOnPhone(onBack);

  return (
    <section className="chat" aria-label={`Chat with ${peer.displayName}`}>
      <header className="chat__header">
        <button type="button" className="chat__back button button--ghost" onClick={onBack} aria-label="Back to chats">
          ←
        </button>
        <span className="row__avatar">
          <Avatar name={peer.displayName} />
          <PresenceDot presence={presence.presenceOf(peer.id)} />
        </span>
        <div className="chat__title">
          <h2 className="chat__name" dir="auto">
            {peer.displayName}
          </h2>
          <p className="chat__status">
            <PeerStatus peer={peer} />
          </p>
        </div>
        <button
          type="button"
          className="button button--ghost chat__search-toggle"
          aria-label="Search in this chat"
          aria-expanded={searching}
          onClick={() => setSearching((open) => !open)}
        >
          <svg aria-hidden="true" viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round">
            <circle cx="11" cy="11" r="7" />
            <path d="m20 20-3.5-3.5" />
          </svg>
        </button>
      </header>

      {searching && (
        <MessageSearch
          peerId={peer.id}
          onClose={() => setSearching(false)}
          onJump={(message) => {
            setJump({ id: message.id });
            // On a phone the results cover the thread: make room for the message.
            if (isPhoneWidth()) setSearching(false);
          }}
        />
      )}

      {history.status === 'error' && items.length === 0 ? (
        <p className="empty-state">
          Could not load this conversation.{' '}
          <button type="button" className="button--link" onClick={() => ensureHistory(peer.id)}>
            Try again
          </button>
        </p>
      ) : history.status === 'ready' && items.length === 0 ? (
        <p className="empty-state">Say hello to {peer.displayName}.</p>
      ) : history.status === 'loading' && items.length === 0 ? (
        <p className="empty-state" aria-live="polite">
          Loading messages…
        </p>
      ) : (
        <MessageList
          items={items}
          meId={me.id}
          peerName={peer.displayName}
          hasOlder={history.status === 'ready' && history.nextCursor !== null}
          loadingOlder={history.loadingOlder}
          onLoadOlder={loadOlderHere}
          onRetry={retry}
          firstUnreadKey={firstUnread}
          focusKey={jumpItem ? itemKey(jumpItem, me.id) : null}
          focusRequest={jump}
          onReply={setReplyingTo}
          onEdit={editHere}
          onDelete={removeHere}
        />
      )}

      <Composer
        initialDraft={initialDraft}
        onDraftSaved={(draft) => saveDraft(me.id, peer.id, draft)}
        onDraftChange={typing.onDraftChange}
        replyingTo={replyingTo && { preview: replyingTo, author: replyingTo.sender === me.id ? 'yourself' : peer.displayName }}
        onCancelReply={() => setReplyingTo(null)}
        onSend={(content) => {
          typing.stop();
          send(peer.id, content, replyingTo ?? undefined);
          setReplyingTo(null);
        }}
      />
    </section>
  );
}
