import { memo } from 'react';
import { formatClockTime, useNow } from '../../lib/time';
import { isOnlyEmoji, linkify } from './messageText';
import { ReceiptTick, type Receipt } from './ReceiptTick';
import type { ThreadItem } from './selectors';

function receiptOf(item: ThreadItem): Receipt {
  if (item.kind === 'outbox') return item.entry.state === 'failed' ? 'Failed' : 'Sending';
  const { message } = item;
  if (message.isRead) return 'Read';
  return message.deliveredAt ? 'Delivered' : 'Sent';
}

interface MessageBubbleProps {
  item: ThreadItem;
  own: boolean;
  onRetry(clientMessageId: string): void;
}

/** A send still waiting after this long says so, instead of spinning quietly. */
export const SLOW_SEND_MS = 30_000;

function SlowSendNote({ createdAt }: { createdAt: string }) {
  const now = useNow(5_000);
  if (now - new Date(createdAt).getTime() < SLOW_SEND_MS) return null;
  return <span className="bubble__slow">Not sent yet: it will go when the connection is back.</span>;
}

export const MessageBubble = memo(function MessageBubble({ item, own, onRetry }: MessageBubbleProps) {
  const content = item.kind === 'message' ? item.message.content : item.entry.content;
  const createdAt = item.kind === 'message' ? item.message.createdAt : item.entry.createdAt;
  const receipt = own ? receiptOf(item) : null;

  return (
    <div className={`bubble ${own ? 'bubble--own' : 'bubble--theirs'} ${receipt === 'Failed' ? 'bubble--failed' : ''}`}>
      {/* Text and checked http(s) links only: React escapes the text; pre-wrap keeps the line
          breaks; dir="auto" lets Arabic or Hebrew read right to left. */}
      <p className={`bubble__content ${isOnlyEmoji(content) ? 'bubble__content--emoji' : ''}`} dir="auto">
        {linkify(content)}
      </p>
      <span className="bubble__meta">
        <time dateTime={createdAt}>{formatClockTime(createdAt)}</time>
        {receipt && <ReceiptTick receipt={receipt} />}
      </span>
      {receipt === 'Sending' && item.kind === 'outbox' && <SlowSendNote createdAt={item.entry.createdAt} />}
      {receipt === 'Failed' && item.kind === 'outbox' && (
        <span className="bubble__failure">
          Not sent.{' '}
          <button type="button" className="button--link" onClick={() => onRetry(item.entry.clientMessageId)}>
            Retry
          </button>
        </span>
      )}
    </div>
  );
});
