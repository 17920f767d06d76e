import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { MessageText } from './MessageText.tsx';

describe('MessageText', () => {
  it('keeps line breaks and links only http(s) URLs', () => {
    const text = 'line one\nsee https://example.com/a) and javascript:alert(1)';
    const { container } = render(<MessageText text={text} />);
    expect(container.textContent).toBe(text);
    const links = screen.getAllByRole('link');
    expect(links.map((a) => a.getAttribute('href'))).toEqual(['https://example.com/a']);
    expect(links[0]?.getAttribute('rel')).toBe('noopener noreferrer nofollow');
  });

  it('never turns markup into elements', () => {
    const text = '<a href="https://x.test" onclick="steal()">x</a><iframe src=//x></iframe>';
    const { container } = render(<MessageText text={text} />);
    expect(container.textContent).toBe(text);
    expect(container.querySelector('iframe')).toBeNull();
    // The URL inside the markup is autolinked as text; the markup's own attributes go nowhere.
    const links = [...container.querySelectorAll('a')];
    expect(links.map((a) => [a.getAttribute('href'), a.getAttribute('onclick'), a.textContent])).toEqual([
      ['https://x.test/', null, 'https://x.test'],
    ]);
  });
});
