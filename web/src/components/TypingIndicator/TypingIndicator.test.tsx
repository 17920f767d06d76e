import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { alice, bob } from '../../test/fakes.ts';
import { renderIn } from '../../test/render.tsx';
import { TypingIndicator } from './TypingIndicator.tsx';

describe('TypingIndicator', () => {
  it('names who is typing in either language', () => {
    const view = renderIn('en', <TypingIndicator users={[alice]} />);
    expect(screen.getByText(`${alice.nickname} is typing…`)).toBeTruthy();
    view.rerender(<TypingIndicator users={[alice, bob, { ...bob, id: 'u3' }]} />);
    expect(screen.getByText('3 people are typing…')).toBeTruthy();
  });

  it('keeps its line when nobody types, so the layout does not jump', () => {
    const { container } = renderIn('ko', <TypingIndicator users={[]} />);
    expect(container.querySelector('.typing')?.textContent).toBe('\u00a0');
  });
});
