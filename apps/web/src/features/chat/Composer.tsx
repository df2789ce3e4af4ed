import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { CONTENT_MAX_LENGTH, type ReplyPreview } from '@parley/protocol';

interface ComposerProps {
  onSend(content: string): void;
  /** The message the next send replies to, shown above the input with a way to cancel. */
  replyingTo?: { preview: ReplyPreview; author: string } | null;
  onCancelReply?(): void;
  /** Every change of the text, for the typing indicator. */
  onDraftChange?(draft: string): void;
}

export function Composer({ onSend, onDraftChange, replyingTo = null, onCancelReply }: ComposerProps) {
  const [draft, setDraft] = useState('');
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const canSend = draft.trim().length > 0;

  // Opening a chat puts the cursor where the next words go — with a mouse or trackpad only:
  // on a touch screen it would throw up the keyboard over the conversation.
  useEffect(() => {
    if (window.matchMedia?.('(pointer: fine)').matches) textareaRef.current?.focus();
  }, []);

  // Choosing Reply puts the cursor where the answer goes.
  const replyId = replyingTo?.preview.id;
  useEffect(() => {
    if (replyId) textareaRef.current?.focus();
  }, [replyId]);

  function cancelReply() {
    onCancelReply?.();
    textareaRef.current?.focus();
  }

  function changeDraft(next: string) {
    setDraft(next);
    onDraftChange?.(next);
  }

  function submit() {
    const content = draft.trim();
    if (!content) return;
    onSend(content);
    changeDraft('');
    textareaRef.current?.focus();
  }

  function handleKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Escape' && replyingTo) {
      event.preventDefault();
      cancelReply();
      return;
    }
    // Enter sends; Shift+Enter is a new line; never interrupt an IME composition.
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  }

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    submit();
  }

  return (
    <form className={`composer ${replyingTo ? 'composer--replying' : ''}`} onSubmit={handleSubmit}>
      {replyingTo && (
        <div className="composer__reply" role="group" aria-label={`Replying to ${replyingTo.author}`}>
          <span className="composer__reply-body">
            <span className="composer__reply-author">Replying to {replyingTo.author}</span>
            <span className="composer__reply-text">{replyingTo.preview.content}</span>
          </span>
          <button type="button" className="button button--ghost composer__reply-cancel" aria-label="Cancel reply" onClick={cancelReply}>
            ✕
          </button>
        </div>
      )}
      <label htmlFor="composer-input" className="visually-hidden">
        Message
      </label>
      <textarea
        id="composer-input"
        ref={textareaRef}
        className="composer__input"
        rows={1}
        placeholder="Write a message…"
        maxLength={CONTENT_MAX_LENGTH}
        value={draft}
        onChange={(event) => changeDraft(event.target.value)}
        onKeyDown={handleKeyDown}
      />
      <button type="submit" className="button button--primary composer__send" disabled={!canSend}>
        Send
      </button>
    </form>
  );
}
