import { describe, expect, it } from 'vitest';
import { INITIAL_HEIGHT, mountEmbed } from './mount.ts';

function setup(attrs: Record<string, string>, src = 'https://chat.example.com/embed.js') {
  document.body.innerHTML = '<p id="before"></p>';
  const script = document.createElement('script');
  script.src = src;
  for (const [k, v] of Object.entries(attrs)) {
    script.setAttribute(`data-${k}`, v);
  }
  document.body.appendChild(script);
  document.body.appendChild(document.createElement('footer'));
  const listeners: ((e: MessageEvent) => void)[] = [];
  const frame = mountEmbed(script, {
    location: { pathname: '/posts/첫-글', origin: 'https://blog.example.com' },
    addMessageListener: (fn) => listeners.push(fn),
  });
  const dispatch = (init: MessageEventInit) => listeners.forEach((fn) => fn(new MessageEvent('message', init)));
  return { script, frame, listeners, dispatch };
}

function query(frame: HTMLIFrameElement | null): URLSearchParams {
  return new URL(frame?.src ?? 'about:blank').searchParams;
}

describe('mountEmbed', () => {
  it('inserts an iframe right after the script, pointing at the chat origin', () => {
    const { script, frame } = setup({ room: 'posts/hello', theme: 'dark', lang: 'ko' });
    expect(script.nextElementSibling).toBe(frame);
    expect(frame?.src.startsWith('https://chat.example.com/embed?')).toBe(true);
    const q = query(frame);
    expect(q.get('room')).toBe('posts/hello');
    expect(q.get('theme')).toBe('dark');
    expect(q.get('lang')).toBe('ko');
    expect(q.get('parent')).toBe('https://blog.example.com');
    expect(frame?.title).toBe('채팅');
    expect(frame?.style.height).toBe(`${INITIAL_HEIGHT}px`);
  });

  it('defaults the room to the page path, the theme to auto and leaves lang to the browser', () => {
    const { frame } = setup({ theme: 'neon', lang: 'fr' });
    const q = query(frame);
    expect(q.get('room')).toBe('/posts/첫-글');
    expect(q.get('theme')).toBe('auto');
    expect(q.has('lang')).toBe(false);
  });

  it('resizes only on height messages from its own frame and the chat origin', () => {
    const { frame, dispatch } = setup({});
    const source = frame?.contentWindow ?? null;
    dispatch({ origin: 'https://evil.example', source, data: { type: 'chatd:height', height: 900 } });
    expect(frame?.style.height).toBe(`${INITIAL_HEIGHT}px`);
    dispatch({ origin: 'https://chat.example.com', source: window, data: { type: 'chatd:height', height: 900 } });
    expect(frame?.style.height).toBe(`${INITIAL_HEIGHT}px`);
    dispatch({ origin: 'https://chat.example.com', source, data: { type: 'chatd:height', height: 'big' } });
    expect(frame?.style.height).toBe(`${INITIAL_HEIGHT}px`);
    dispatch({ origin: 'https://chat.example.com', source, data: { type: 'chatd:height', height: 612.4 } });
    expect(frame?.style.height).toBe('613px');
    dispatch({ origin: 'https://chat.example.com', source, data: { type: 'chatd:height', height: 1e9 } });
    expect(frame?.style.height).toBe('2000px');
  });

  it('keeps a fixed height and asks the page to fill it', () => {
    const { frame, listeners } = setup({ height: '600px' });
    expect(frame?.style.height).toBe('600px');
    expect(query(frame).get('layout')).toBe('fill');
    expect(listeners).toHaveLength(0);
  });

  it('does nothing for a script URL it cannot use', () => {
    const { frame } = setup({}, 'data:text/javascript,1');
    expect(frame).toBeNull();
    expect(document.querySelector('iframe')).toBeNull();
  });
});
