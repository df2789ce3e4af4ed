import { useEffect } from 'react';

export interface ToastMessage {
  /** Changes for every toast, so a new one restarts the timer. */
  id: string;
  title: string;
  body: string;
}

const TOAST_MS = 5000;

/** A message for another chat, on a phone: tap to open it; it goes away by itself. */
export function Toast({ toast, onOpen, onDismiss }: { toast: ToastMessage | null; onOpen(): void; onDismiss(): void }) {
  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(onDismiss, TOAST_MS);
    return () => clearTimeout(timer);
  }, [toast, onDismiss]);

  // The live region stays mounted: the chat's announcer already speaks the message itself.
  return (
    <div className="toast-area">
      {toast && (
        <div className="toast" role="group" aria-label="New message in another chat">
          <button type="button" className="toast__open" onClick={onOpen}>
            <span className="toast__title" dir="auto">
              {toast.title}
            </span>
            <span className="toast__body" dir="auto">
              {toast.body}
            </span>
          </button>
          <button type="button" className="button--link toast__close" aria-label="Dismiss" onClick={onDismiss}>
            ×
          </button>
        </div>
      )}
    </div>
  );
}
