// embed.js: the one script a blog includes. It inserts an iframe to chatd's /embed page right after
// its own <script> tag and sizes it from the height the page reports. It is built as a standalone
// IIFE: no imports at run time, no globals, nothing but the iframe and one message listener.
//
//   <script src="https://chat.example.com/embed.js" data-room="posts/hello" data-theme="auto"
//           data-lang="ko" data-height="auto" async></script>

import { clampHeight, isHeightMessage } from '../lib/embedMessages.ts';

/** Height before the page reports its own (or when it cannot): the composer and a few messages. */
const INITIAL_HEIGHT = 480;

function mount(script: HTMLScriptElement): void {
  let chatOrigin: string;
  try {
    chatOrigin = new URL(script.src).origin;
  } catch {
    return;
  }
  const data = script.dataset;
  const room = data.room && data.room.trim() !== '' ? data.room.trim() : location.pathname;
  const theme = data.theme === 'light' || data.theme === 'dark' ? data.theme : 'auto';
  const heightAttr = (data.height ?? 'auto').trim().replace(/px$/, '');
  const fixed = /^\d{2,4}$/.test(heightAttr) ? clampHeight(Number(heightAttr)) : null;

  const query = new URLSearchParams({ room, theme, parent: location.origin });
  if (data.lang === 'ko' || data.lang === 'en') {
    query.set('lang', data.lang);
  }
  if (fixed !== null) {
    query.set('layout', 'fill');
  }

  const frame = document.createElement('iframe');
  frame.src = `${chatOrigin}/embed?${query.toString()}`;
  frame.title = data.lang === 'ko' ? '채팅' : 'Chat';
  frame.setAttribute('style', `display:block;width:100%;border:0;height:${fixed ?? INITIAL_HEIGHT}px`);
  frame.className = 'chatd-embed';
  script.parentNode?.insertBefore(frame, script.nextSibling);

  if (fixed !== null) {
    return;
  }
  window.addEventListener('message', (e: MessageEvent) => {
    // Only this frame's own chat page may resize it: any other window or origin is ignored.
    if (e.origin !== chatOrigin || e.source !== frame.contentWindow || !isHeightMessage(e.data)) {
      return;
    }
    frame.style.height = `${clampHeight(e.data.height)}px`;
  });
}

const current = document.currentScript;
if (current instanceof HTMLScriptElement) {
  mount(current);
}
