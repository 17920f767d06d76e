import { fireEvent, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { renderIn } from '../../test/render.tsx';
import { Composer } from './Composer.tsx';

describe('Composer', () => {
  it('sends on Enter, adds a line on Shift+Enter, and clears after sending', async () => {
    const onSend = vi.fn(() => true);
    renderIn('en', <Composer blocked={null} onSend={onSend} onTyping={vi.fn()} />);
    const input = screen.getByRole('textbox', { name: 'Message' });
    await userEvent.type(input, 'first{Shift>}{Enter}{/Shift}second');
    expect(onSend).not.toHaveBeenCalled();
    expect((input as HTMLTextAreaElement).value).toBe('first\nsecond');
    await userEvent.type(input, '{Enter}');
    expect(onSend).toHaveBeenCalledWith('first\nsecond');
    expect((input as HTMLTextAreaElement).value).toBe('');
  });

  it('keeps the draft when the client does not take it', async () => {
    renderIn('en', <Composer blocked={null} onSend={() => false} onTyping={vi.fn()} />);
    const input = screen.getByRole('textbox');
    await userEvent.type(input, 'hello{Enter}');
    expect((input as HTMLTextAreaElement).value).toBe('hello');
  });

  it('does not send the Enter that ends an IME composition', () => {
    const onSend = vi.fn(() => true);
    renderIn('ko', <Composer blocked={null} onSend={onSend} onTyping={vi.fn()} />);
    const input = screen.getByRole('textbox', { name: '메시지' });
    fireEvent.change(input, { target: { value: '안녕' } });
    fireEvent.keyDown(input, { key: 'Enter', isComposing: true });
    fireEvent.keyDown(input, { key: 'Enter', keyCode: 229 });
    expect(onSend).not.toHaveBeenCalled();
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(onSend).toHaveBeenCalledWith('안녕');
  });

  it('shows a counter near the limit and refuses text over it', () => {
    const onSend = vi.fn(() => true);
    renderIn('en', <Composer blocked={null} onSend={onSend} onTyping={vi.fn()} />);
    const input = screen.getByRole('textbox');
    fireEvent.change(input, { target: { value: '가'.repeat(1799) } });
    expect(screen.queryByTestId('counter')).toBeNull();
    fireEvent.change(input, { target: { value: '가'.repeat(2000) } });
    expect(screen.getByTestId('counter').textContent).toBe('2000 / 2000');
    expect(screen.getByRole('button', { name: 'Send' }).hasAttribute('disabled')).toBe(false);
    fireEvent.change(input, { target: { value: '가'.repeat(2003) } });
    expect(screen.getByTestId('counter').getAttribute('aria-label')).toBe('3 characters too long');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('button', { name: 'Send' }).hasAttribute('disabled')).toBe(true);
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(onSend).not.toHaveBeenCalled();
  });

  it('says why it cannot send while offline or rate limited', () => {
    const onSend = vi.fn(() => true);
    const view = renderIn('en', <Composer blocked="offline" onSend={onSend} onTyping={vi.fn()} />);
    const input = screen.getByRole('textbox');
    fireEvent.change(input, { target: { value: 'hi' } });
    expect(screen.getByText('Offline: waiting for the connection…')).toBeTruthy();
    expect(input.getAttribute('aria-describedby')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Send' }).hasAttribute('disabled')).toBe(true);
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(onSend).not.toHaveBeenCalled();
    view.rerender(<Composer blocked="rate_limited" onSend={onSend} onTyping={vi.fn()} />);
    expect(screen.getByText('Slow down: you can send again in a moment.')).toBeTruthy();
  });

  it('reports typing only for non-blank input', () => {
    const onTyping = vi.fn();
    renderIn('en', <Composer blocked={null} onSend={() => true} onTyping={onTyping} />);
    const input = screen.getByRole('textbox');
    fireEvent.change(input, { target: { value: '   ' } });
    expect(onTyping).not.toHaveBeenCalled();
    fireEvent.change(input, { target: { value: 'a' } });
    expect(onTyping).toHaveBeenCalledTimes(1);
  });
});
