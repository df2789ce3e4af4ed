import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ReceiptTick, type Receipt } from './ReceiptTick';

function tick(receipt: Receipt) {
  render(<ReceiptTick receipt={receipt} />);
  const svg = screen.getByRole('img', { name: receipt });
  const path = svg.querySelector('path')!.getAttribute('d')!;
  return {
    svg,
    /** Each check mark is a move then one relative line through two more points: "Mx y l dx dy dx dy". */
    checkMarks: path.match(/M[\d.\s-]+l[\d.\s-]+/g)?.length ?? 0,
    strokeWidth: Number(svg.getAttribute('stroke-width')),
  };
}

describe('ReceiptTick', () => {
  it('draws one tick for Sent and two for Delivered and Read', () => {
    expect(tick('Sent').checkMarks).toBe(1);
    expect(tick('Delivered').checkMarks).toBe(2);
    expect(tick('Read').checkMarks).toBe(2);
  });

  it('sets Read apart from Delivered by a bolder stroke and its own class (for its colour)', () => {
    const delivered = tick('Delivered');
    const read = tick('Read');
    expect(read.strokeWidth).toBeGreaterThan(delivered.strokeWidth);
    expect(read.svg).toHaveClass('tick--read');
    expect(delivered.svg).toHaveClass('tick--delivered');
    expect(delivered.svg).not.toHaveClass('tick--read');
  });
});
