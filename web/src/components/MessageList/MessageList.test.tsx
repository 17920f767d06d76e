import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { PendingMessage } from '../../lib/chatClient.ts';
import type { LiveMessage } from '../../lib/protocol.ts';
import { alice, bob, msg } from '../../test/fakes.ts';
import { renderIn } from '../../test/render.tsx';
import { MessageList } from './MessageList.tsx';
import type { MessageListProps } from './MessageList.tsx';

function props(over: Partial<MessageListProps> = {}): MessageListProps {
  return {
    messages: [],
    pending: [],
    me: alice,
    hasOlder: false,
    loadingOlder: false,
    onLoadOlder: vi.fn(),
    onRetry: vi.fn(),
    onDiscard: vi.fn(),
    ...over,
  };
}

describe('MessageList', () => {
  it('renders hostile text as text, never as HTML', () => {
    const hostile = '<script>window.pwned=1</script><img src=x onerror="window.pwned=2"> ‮RTL‬ 😀';
    const { container } = renderIn('en', <MessageList {...props({ messages: [msg(1, bob, hostile)] })} />);
    expect(screen.getByText(hostile, { exact: false })).toBeTruthy();
    expect(container.querySelector('script')).toBeNull();
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('.message-text')?.textContent).toBe(hostile);
    expect(container.querySelector('.message-text')?.getAttribute('dir')).toBe('auto');
  });

  it('links URLs with noopener noreferrer nofollow', () => {
    renderIn('en', <MessageList {...props({ messages: [msg(1, bob, 'read https://example.com/post now')] })} />);
    const link = screen.getByRole('link', { name: 'https://example.com/post' });
    expect(link.getAttribute('href')).toBe('https://example.com/post');
    expect(link.getAttribute('rel')).toBe('noopener noreferrer nofollow');
    expect(link.getAttribute('target')).toBe('_blank');
  });

  it('groups runs by author and marks own messages', () => {
    const messages: LiveMessage[] = [msg(1, bob), msg(2, bob), msg(3, alice), msg(4, bob, 'late', msg(2).ts + 10 * 60_000)];
    const { container } = renderIn('en', <MessageList {...props({ messages })} />);
    const items = [...container.querySelectorAll('[data-testid="message"]')];
    expect(items.map((li) => li.classList.contains('continued'))).toEqual([false, true, false, false]);
    expect(items.map((li) => li.classList.contains('own'))).toEqual([false, false, true, false]);
    expect(within(items[0] as HTMLElement).getByText(bob.nickname)).toBeTruthy();
    expect(within(items[1] as HTMLElement).queryByText(bob.nickname)).toBeNull();
    expect(within(items[2] as HTMLElement).getByText('you')).toBeTruthy();
    expect(within(items[2] as HTMLElement).getByText('Your message')).toBeTruthy();
    const time = items[0]?.querySelector('time');
    expect(time?.getAttribute('datetime')).toBe(new Date(msg(1).ts).toISOString());
    expect(time?.getAttribute('title')).toMatch(/2025/);
  });

  it('shows pending messages and offers retry for failed ones', () => {
    const pending: PendingMessage[] = [
      { clientId: 'c1', text: 'on its way', status: 'sending', error: null },
      { clientId: 'c2', text: 'refused', status: 'failed', error: 'rate_limited' },
    ];
    const p = props({ pending });
    renderIn('ko', <MessageList {...p} />);
    expect(screen.getByText('보내는 중…')).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toContain('너무 빨리 보내고 있습니다.');
    fireEvent.click(screen.getByRole('button', { name: '다시 보내기' }));
    expect(p.onRetry).toHaveBeenCalledWith('c2');
    fireEvent.click(screen.getByRole('button', { name: '지우기' }));
    expect(p.onDiscard).toHaveBeenCalledWith('c2');
  });

  it('offers earlier messages and announces new ones from others', () => {
    const p = props({ messages: [msg(5)], hasOlder: true });
    const view = renderIn('en', <MessageList {...p} />);
    fireEvent.click(screen.getByRole('button', { name: 'Load earlier messages' }));
    expect(p.onLoadOlder).toHaveBeenCalled();
    const announcer = screen.getByTestId('announcer');
    expect(announcer.getAttribute('aria-live')).toBe('polite');
    expect(announcer.textContent).toBe('');
    view.rerender(<MessageList {...p} messages={[msg(5), msg(6, bob, 'fresh news')]} />);
    expect(announcer.textContent).toBe(`${bob.nickname}: fresh news`);
    view.rerender(<MessageList {...p} messages={[msg(5), msg(6, bob, 'fresh news'), msg(7, alice, 'mine')]} />);
    expect(announcer.textContent).toBe(`${bob.nickname}: fresh news`);
  });

  it('shows a new-messages pill when the reader has scrolled up', () => {
    const p = props({ messages: [msg(1), msg(2)] });
    const view = renderIn('en', <MessageList {...p} />);
    const scroller = screen.getByTestId('message-scroller');
    // jsdom has no layout: fake a scrolled-up list.
    Object.defineProperty(scroller, 'scrollHeight', { configurable: true, value: 2000 });
    Object.defineProperty(scroller, 'clientHeight', { configurable: true, value: 400 });
    scroller.scrollTop = 500;
    fireEvent.scroll(scroller);
    view.rerender(<MessageList {...p} messages={[msg(1), msg(2), msg(3), msg(4)]} />);
    const pill = screen.getByTestId('new-messages-pill');
    expect(pill.textContent).toContain('2 new messages');
    fireEvent.click(pill);
    expect(screen.queryByTestId('new-messages-pill')).toBeNull();
    expect(scroller.scrollTop).toBe(2000);
  });

  it('keeps the reader in place when an older page goes in above', () => {
    const p = props({ messages: [msg(51), msg(52)], hasOlder: true });
    const view = renderIn('en', <MessageList {...p} />);
    const scroller = screen.getByTestId('message-scroller');
    // jsdom has no layout: the old first message ends 100 px into the view before the page arrives
    // and 870 px down once 770 px of older messages sit above it.
    let anchorBottom = 100;
    vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockImplementation(function (this: HTMLElement) {
      return { top: 0, bottom: this.dataset.seq === '51' ? anchorBottom : 0 } as DOMRect;
    });
    scroller.scrollTop = 10;
    fireEvent.click(screen.getByRole('button', { name: 'Load earlier messages' }));
    expect(p.onLoadOlder).toHaveBeenCalled();
    anchorBottom = 870;
    view.rerender(<MessageList {...p} messages={[msg(50), msg(51), msg(52)]} />);
    expect(scroller.scrollTop).toBe(780);
  });

});
