import { memo, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { REPLY_PREVIEW_MAX_LENGTH, type ReplyPreview } from '@parley/protocol';
import { formatClockTime, useNow } from '../../lib/time';
import { isOnlyEmoji, linkify } from './messageText';
import { ConfirmDialog } from './ConfirmDialog';
import { InlineEditor } from './InlineEditor';
import { MessageMenu, type MenuAction } from './MessageMenu';
import { ReceiptTick, type Receipt } from './ReceiptTick';
import type { ThreadItem } from './selectors';

export const DELETED_TEXT = 'This message was deleted';
const LONG_PRESS_MS = 500;

function receiptOf(item: ThreadItem): Receipt {
  if (item.kind === 'outbox') return item.entry.state === 'failed' ? 'Failed' : 'Sending';
  const { message } = item;
  if (item.pending) return 'Sending';
  if (message.isRead) return 'Read';
  return message.deliveredAt ? 'Delivered' : 'Sent';
}

/** The element id of a stored message's row: where a quote of it scrolls to. */
export function messageElementId(messageId: string): string {
  return `message-${messageId}`;
}

export interface MessageHandlers {
  onRetry(clientMessageId: string): void;
  onReply(preview: ReplyPreview): void;
  /** My own messages are named by clientMessageId: stored or still in the outbox. */
  onEdit(clientMessageId: string, content: string): void;
  onDelete(clientMessageId: string): void;
  /** Scrolls to a quoted message (loading older history if needed). */
  onJumpTo(messageId: string): void;
}

interface MessageBubbleProps extends MessageHandlers {
  item: ThreadItem;
  own: boolean;
  meId: string;
  peerName: string;
}

function Quote({ quote, author, onJumpTo }: { quote: ReplyPreview; author: string; onJumpTo(messageId: string): void }) {
  const text = quote.content || 'Deleted message';
  return (
    <button
      type="button"
      className="bubble__quote"
      aria-label={`Reply to ${author}: ${text}. Show the original message`}
      onClick={() => onJumpTo(quote.id)}
    >
      <span className="bubble__quote-author">{author}</span>
      <span className={`bubble__quote-text ${quote.content ? '' : 'bubble__quote-text--deleted'}`}>{text}</span>
    </button>
  );
}

/** A send still waiting after this long says so, instead of spinning quietly. */
export const SLOW_SEND_MS = 30_000;

function SlowSendNote({ createdAt }: { createdAt: string }) {
  const now = useNow(5_000);
  if (now - new Date(createdAt).getTime() < SLOW_SEND_MS) return null;
  return <span className="bubble__slow">Not sent yet: it will go when the connection is back.</span>;
}

export const MessageBubble = memo(function MessageBubble({ item, own, meId, peerName, ...handlers }: MessageBubbleProps) {
  const [menuOpen, setMenuOpen] = useState(false);
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const triggerRef = useRef<HTMLButtonElement>(null);
  const longPress = useRef<ReturnType<typeof setTimeout> | null>(null);

  const message = item.kind === 'message' ? item.message : null;
  const content = message ? message.content : item.kind === 'outbox' ? item.entry.content : '';
  const createdAt = message ? message.createdAt : item.kind === 'outbox' ? item.entry.createdAt : '';
  const clientMessageId = message ? message.clientMessageId : item.kind === 'outbox' ? item.entry.clientMessageId : '';
  const quote = message ? message.replyTo : item.kind === 'outbox' ? (item.entry.replyTo ?? null) : null;
  const deleted = Boolean(message?.deletedAt);
  const edited = Boolean(message?.editedAt) && !deleted;
  const receipt = own && !deleted ? receiptOf(item) : null;

  const actions: MenuAction[] = [];
  if (!deleted) {
    if (message) {
      const preview = { id: message.id, sender: message.sender, content: message.content.slice(0, REPLY_PREVIEW_MAX_LENGTH) };
      actions.push({ label: 'Reply', onSelect: () => handlers.onReply(preview) });
    }
    if (own) actions.push({ label: 'Edit', onSelect: () => setEditing(true) });
    actions.push({ label: 'Copy text', onSelect: () => void navigator.clipboard?.writeText(content).catch(() => undefined) });
    if (own) actions.push({ label: 'Delete', danger: true, onSelect: () => setConfirming(true) });
  }
  const hasMenu = actions.length > 0;

  // Long-press on a touch screen and the context-menu key both arrive as "contextmenu";
  // Shift+F10 is its keyboard twin where there is no such key.
  function openMenu(event: MouseEvent | KeyboardEvent) {
    cancelLongPress();
    if (!hasMenu || editing) return;
    event.preventDefault();
    setMenuOpen(true);
  }

  // A long press opens the menu where the browser sends no "contextmenu" for it (iOS Safari).
  function startLongPress() {
    if (!hasMenu || editing) return;
    longPress.current = setTimeout(() => setMenuOpen(true), LONG_PRESS_MS);
  }

  function cancelLongPress() {
    if (longPress.current) clearTimeout(longPress.current);
    longPress.current = null;
  }

  function finishEditing(next: string | null) {
    setEditing(false);
    if (next !== null && next !== content) handlers.onEdit(clientMessageId, next);
    triggerRef.current?.focus();
  }

  function closeDialog(confirmed: boolean) {
    setConfirming(false);
    if (confirmed) handlers.onDelete(clientMessageId);
    triggerRef.current?.focus();
  }

  return (
    <div
      id={message ? messageElementId(message.id) : undefined}
      tabIndex={message ? -1 : undefined}
      className={`message ${own ? 'message--own' : 'message--theirs'}`}
      onContextMenu={openMenu}
      onTouchStart={startLongPress}
      onTouchEnd={cancelLongPress}
      onTouchMove={cancelLongPress}
      onKeyDown={(event) => {
        if (event.key === 'ContextMenu' || (event.key === 'F10' && event.shiftKey)) openMenu(event);
      }}
    >
      <div
        className={`bubble ${own ? 'bubble--own' : 'bubble--theirs'} ${receipt === 'Failed' ? 'bubble--failed' : ''} ${deleted ? 'bubble--deleted' : ''} ${editing ? 'bubble--editing' : ''}`}
      >
        {quote && !deleted && <Quote quote={quote} author={quote.sender === meId ? 'You' : peerName} onJumpTo={handlers.onJumpTo} />}
        {editing ? (
          <InlineEditor initial={content} onDone={finishEditing} />
        ) : deleted ? (
          <p className="bubble__content bubble__content--deleted">{DELETED_TEXT}</p>
        ) : (
          /* Text and checked http(s) links only: React escapes the text; pre-wrap keeps the line
             breaks; dir="auto" lets Arabic or Hebrew read right to left. */
          <p className={`bubble__content ${isOnlyEmoji(content) ? 'bubble__content--emoji' : ''}`} dir="auto">
            {linkify(content)}
          </p>
        )}
        <span className="bubble__meta">
          {edited && <span className="bubble__edited">edited</span>}
          <time dateTime={createdAt}>{formatClockTime(createdAt)}</time>
          {receipt && <ReceiptTick receipt={receipt} />}
        </span>
        {receipt === 'Sending' && item.kind === 'outbox' && <SlowSendNote createdAt={item.entry.createdAt} />}
        {receipt === 'Failed' && item.kind === 'outbox' && (
          <span className="bubble__failure">
            Not sent.{' '}
            <button type="button" className="button--link" onClick={() => handlers.onRetry(item.entry.clientMessageId)}>
              Retry
            </button>
          </span>
        )}
      </div>
      {hasMenu && (
        <MessageMenu actions={actions} open={menuOpen} onOpenChange={setMenuOpen} triggerRef={triggerRef} align={own ? 'end' : 'start'} />
      )}
      {confirming && (
        <ConfirmDialog
          title="Delete this message?"
          description="It will be deleted for you and for the other person. This cannot be undone."
          confirmLabel="Delete"
          onConfirm={() => closeDialog(true)}
          onCancel={() => closeDialog(false)}
        />
      )}
    </div>
  );
});
