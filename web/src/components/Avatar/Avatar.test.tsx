import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Avatar } from './Avatar.tsx';

describe('Avatar', () => {
  it('is decorative without a label and an image with one', () => {
    const { container, rerender } = render(<Avatar avatar="pixel:abc" />);
    const svg = container.querySelector('svg');
    expect(svg?.getAttribute('aria-hidden')).toBe('true');
    expect(svg?.getAttribute('data-style')).toBe('pixel');
    rerender(<Avatar avatar="pixel:abc" label="Style pixel 1" size={40} />);
    expect(screen.getByRole('img', { name: 'Style pixel 1' }).getAttribute('width')).toBe('40');
  });

  it('draws an unknown or hostile value as a ring, with no reference to anything outside', () => {
    const { container } = render(<Avatar avatar={'javascript:alert(1)"><img src=x>'} />);
    expect(container.querySelector('svg')?.getAttribute('data-style')).toBe('ring');
    expect(container.querySelector('img, image, use, a, [href]')).toBeNull();
  });
});
