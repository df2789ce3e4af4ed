import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { isOnlyEmoji, linkify } from './messageText';

function show(text: string) {
  return render(<p>{linkify(text)}</p>).container.querySelector('p')!;
}

describe('message text', () => {
  it('makes http(s) addresses links that open in a new tab without access to this one', () => {
    show('See https://example.com/docs?a=1&b=2 and http://test.org.');
    const links = screen.getAllByRole('link');
    expect(links.map((link) => link.getAttribute('href'))).toEqual(['https://example.com/docs?a=1&b=2', 'http://test.org/']);
    for (const link of links) {
      expect(link).toHaveAttribute('target', '_blank');
      expect(link).toHaveAttribute('rel', 'noopener noreferrer');
    }
    expect(links[1]).toHaveTextContent('http://test.org');
  });

  it('never links other schemes, and keeps the text around links intact', () => {
    const p = show('javascript:alert(1) data:text/html,hi <b>x</b> (https://example.com/a_(b)) end');
    expect(screen.getAllByRole('link').map((link) => link.getAttribute('href'))).toEqual(['https://example.com/a_(b)']);
    expect(p.textContent).toBe('javascript:alert(1) data:text/html,hi <b>x</b> (https://example.com/a_(b)) end');
    expect(p.querySelector('b')).toBeNull();
  });

  it('leaves a message without addresses as it is', () => {
    expect(show('just words, no links').textContent).toBe('just words, no links');
    expect(screen.queryByRole('link')).not.toBeInTheDocument();
  });

  it.each([
    ['👍', true],
    ['😀 😃 😄', true],
    ['👍🏽', true],
    ['👨‍👩‍👧', true],
    ['🇫🇷', true],
    ['😀😃😄😁', false],
    ['ok 👍', false],
    ['123', false],
    ['#', false],
    ['', false],
  ])('%s is only emoji (1-3): %s', (text, expected) => {
    expect(isOnlyEmoji(text)).toBe(expected);
  });
});
