import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { CONTENT_MAX_LENGTH } from '@parley/protocol';

interface InlineEditorProps {
  initial: string;
  /** The new text (trimmed), or null when the edit was cancelled. */
  onDone(next: string | null): void;
}

/** Editing a message in place: Enter saves, Shift+Enter is a new line, Escape cancels. */
export function InlineEditor({ initial, onDone }: InlineEditorProps) {
  const [draft, setDraft] = useState(initial);
  const inputRef = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    const input = inputRef.current;
    if (!input) return;
    input.focus();
    input.setSelectionRange(input.value.length, input.value.length);
  }, []);

  function save() {
    const next = draft.trim();
    if (next) onDone(next);
  }

  function handleKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onDone(null);
    } else if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      save();
    }
  }

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    save();
  }

  return (
    <form className="bubble__editor" onSubmit={handleSubmit}>
      <textarea
        ref={inputRef}
        aria-label="Edit message"
        className="bubble__editor-input"
        maxLength={CONTENT_MAX_LENGTH}
        value={draft}
        onChange={(event) => setDraft(event.target.value)}
        onKeyDown={handleKeyDown}
      />
      <span className="bubble__editor-buttons">
        <button type="button" className="button button--ghost" onClick={() => onDone(null)}>
          Cancel
        </button>
        <button type="submit" className="button button--primary" disabled={!draft.trim()}>
          Save
        </button>
      </span>
    </form>
  );
}
