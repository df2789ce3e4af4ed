export type Receipt = 'Sending' | 'Failed' | 'Sent' | 'Delivered' | 'Read';

const PATHS: Record<Receipt, string> = {
  // A clock face.
  Sending: 'M8 3.5a4.5 4.5 0 1 0 0 9 4.5 4.5 0 0 0 0-9zM8 5.5V8l1.8 1.2',
  // An exclamation mark in a circle.
  Failed: 'M8 3.5a4.5 4.5 0 1 0 0 9 4.5 4.5 0 0 0 0-9zM8 5.5v3M8 10.5v.01',
  Sent: 'M3.5 8.5l3 3 6-7',
  Delivered: 'M1.5 8.5l3 3 6-7M7.5 10.5l1 1 6-7',
  Read: 'M1.5 8.5l3 3 6-7M7.5 10.5l1 1 6-7',
};

/** Read is drawn bolder than the rest, so it stands out even before its colour does. */
export const TICK_STROKE_WIDTH = { normal: 1.6, read: 2.2 } as const;

/** The small status mark on our own bubbles, with its meaning in words for assistive tech. */
export function ReceiptTick({ receipt }: { receipt: Receipt }) {
  return (
    <svg
      className={`tick tick--${receipt.toLowerCase()}`}
      role="img"
      aria-label={receipt}
      viewBox="0 0 16 16"
      width="16"
      height="16"
      fill="none"
      stroke="currentColor"
      strokeWidth={receipt === 'Read' ? TICK_STROKE_WIDTH.read : TICK_STROKE_WIDTH.normal}
      strokeLinecap="round"
      strokeLinejoin="round"
    >
      <path d={PATHS[receipt]} />
    </svg>
  );
}
