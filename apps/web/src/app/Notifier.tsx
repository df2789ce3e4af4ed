import { useCallback, useState } from 'react';
import type { Message, User } from '@parley/protocol';
import { useActivePeerId, useMessageNews } from '../features/chat/ChatContext';
import { muted, newsArrived, playChime, showSystemNotification } from '../features/notifications/notifier';
import { Toast, type ToastMessage } from '../features/notifications/Toast';
import { isPhoneWidth } from '../lib/media';

const PREVIEW_CHARS = 120;

/**
 * Interrupts only when the person is not looking at that message: the tab is hidden, or it is
 * for another chat. Then a chime and a desktop notification (one per chat, replaced by the
 * next), or on a phone with the app in front, a toast. Clicking either opens that chat.
 */
export function Notifier({ onOpen }: { onOpen(user: User): void }) {
  const activePeerId = useActivePeerId();
  const [toast, setToast] = useState<(ToastMessage & { sender: User }) | null>(null);
  const dismiss = useCallback(() => setToast(null), []);

  useMessageNews((message: Message, sender: User | undefined) => {
    newsArrived.set(true);
    const hidden = document.visibilityState === 'hidden';
    if (!sender || (!hidden && message.sender === activePeerId) || muted.get()) return;
    const body = message.content.length > PREVIEW_CHARS ? `${message.content.slice(0, PREVIEW_CHARS)}…` : message.content;
    playChime();
    if (!hidden && isPhoneWidth()) {
      setToast({ id: message.id, title: sender.displayName, body, sender });
      return;
    }
    showSystemNotification({ title: sender.displayName, body, tag: `parley-chat-${sender.id}`, onClick: () => onOpen(sender) });
  });

  return (
    <Toast
      toast={toast}
      onDismiss={dismiss}
      onOpen={() => {
        if (toast) onOpen(toast.sender);
        setToast(null);
      }}
    />
  );
}
