import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { CONTENT_MAX_LENGTH, type ReplyPreview } from '@parley/protocol';

/** The counter shows from here on (90% of the limit). */
const COUNTER_FROM = Math.floor(CONTENT_MAX_LENGTH * 0.9);

interface ComposerProps {
  onSend(content: string): void;
  /** The draft to start from (this chat's, kept from before). */
  initialDraft?: string;
  /** Every change of the text, to keep it as this chat's draft. */
  onDraftSaved?(draft: string): void;
  /** The message the next send replies to, shown above the input with a way to cancel. */
  replyingTo?: { preview: ReplyPreview; author: string } | null;
  onCancelReply?(): void;
  /** Every change of the text, for the typing indicator. */
  onDraftChange?(draft: string): void;
}

export function Composer({ onSend, onDraftChange, initialDraft = '', onDraftSaved, replyingTo = null, onCancelReply }: ComposerProps) {
  const [draft, setDraft] = useState(initialDraft);
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const length = draft.trim().length;
  const tooLong = length > CONTENT_MAX_LENGTH;
  const canSend = length > 0 && !tooLong;
  const counterId = useId();

  // Opening a chat puts the cursor where the next words go — with a mouse or trackpad only:
  // on a touch screen it would throw up the keyboard over the conversation.
  useEffect(() => {
    const textarea = textareaRef.current;
    if (!textarea || !window.matchMedia?.('(pointer: fine)').matches) return;
    textarea.focus();
    // A kept draft: carry on writing at its end.
    textarea.setSelectionRange(textarea.value.length, textarea.value.length);
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
    onDraftSaved?.(next);
  }

  function submit() {
    const content = draft.trim();
    if (!content || content.length > CONTENT_MAX_LENGTH) return;
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
        dir="auto"
        aria-describedby={length >= COUNTER_FROM ? counterId : undefined}
        aria-invalid={tooLong || undefined}
        value={draft}
        onChange={(event) => changeDraft(event.target.value)}
        onKeyDown={handleKeyDown}
      />
      {length >= COUNTER_FROM && (
        // Near the limit, a counter; past it, what to cut (never a silent cut of what was typed).
        <p id={counterId} className={`composer__counter ${tooLong ? 'composer__counter--over' : ''}`} aria-live="polite">
          {tooLong
            ? `${(length - CONTENT_MAX_LENGTH).toLocaleString('en')} characters too long`
            : `${length.toLocaleString('en')} / ${CONTENT_MAX_LENGTH.toLocaleString('en')}`}
        </p>
      )}
      <button type="submit" className="button button--primary composer__send" disabled={!canSend}>
        Send
      </button>
    </form>
  );
}
