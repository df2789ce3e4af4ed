import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ReplyPreview, User } from '@parley/protocol';
import { Avatar } from '../../components/Avatar';
import { PresenceDot } from '../../components/PresenceDot';
import { useSession } from '../../lib/session';
import { useMinuteClock } from '../../lib/time';
import { presenceText, useShownPresence, useWatchPresence } from '../../lib/presence';
import { historyOf } from './chatState';
import { useChatActions, useChatSelector } from './ChatContext';
import { Composer } from './Composer';
import { MessageList } from './MessageList';
import { threadOf } from './selectors';
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

/** One conversation: header, thread and composer. Keyed by peer, so switching starts fresh. */
export function ChatView({ peer }: { peer: User }) {
  const { ensureHistory, loadOlder, send, edit, remove, retry, closeChat } = useChatActions();
  const [replyingTo, setReplyingTo] = useState<ReplyPreview | null>(null);
  const { me } = useSession();
  const presence = useShownPresence();
  const history = useChatSelector((state) => historyOf(state, peer.id));
  const messages = useChatSelector((state) => state.messagesByPeer[peer.id]);
  const outbox = useChatSelector((state) => state.outbox);
  const items = useMemo(() => threadOf(messages, outbox, me.id, peer.id), [messages, outbox, me.id, peer.id]);
  const typing = useTypingEmitter(peer.id);

  useEffect(() => ensureHistory(peer.id), [ensureHistory, peer.id]);
  const loadOlderHere = useCallback(() => loadOlder(peer.id), [loadOlder, peer.id]);
  const editHere = useCallback((clientMessageId: string, content: string) => edit(peer.id, clientMessageId, content), [edit, peer.id]);
  const removeHere = useCallback((clientMessageId: string) => remove(peer.id, clientMessageId), [remove, peer.id]);

  return (
    <section className="chat" aria-label={`Chat with ${peer.displayName}`}>
      <header className="chat__header">
        <button type="button" className="chat__back button button--ghost" onClick={closeChat} aria-label="Back to chats">
          ←
        </button>
        <span className="row__avatar">
          <Avatar name={peer.displayName} />
          <PresenceDot presence={presence.presenceOf(peer.id)} />
        </span>
        <div className="chat__title">
          <h2 className="chat__name">{peer.displayName}</h2>
          <p className="chat__status">
            <PeerStatus peer={peer} />
          </p>
        </div>
      </header>

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
          onReply={setReplyingTo}
          onEdit={editHere}
          onDelete={removeHere}
        />
      )}

      <Composer
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
