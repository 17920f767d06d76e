import { clampHeight, isHeightMessage } from '../lib/embedMessages.ts';

/** Height before the page reports its own (or when it cannot): the composer and a few messages. */
export const INITIAL_HEIGHT = 480;

export interface MountEnv {
  location: { pathname: string; origin: string };
  addMessageListener: (fn: (e: MessageEvent) => void) => void;
}

/** Inserts the chat iframe after `script` and, unless the blog fixed its height, sizes it from the
 *  height messages of that iframe's own page. Returns the iframe, or null when the script's URL is
 *  unusable. */
export function mountEmbed(script: HTMLScriptElement, env: MountEnv): HTMLIFrameElement | null {
  let chatOrigin: string;
  try {
    const url = new URL(script.src);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      return null;
    }
    chatOrigin = url.origin;
  } catch {
    return null;
  }
  const data = script.dataset;
  const room = data.room && data.room.trim() !== '' ? data.room.trim() : env.location.pathname;
  const theme = data.theme === 'light' || data.theme === 'dark' ? data.theme : 'auto';
  const heightAttr = (data.height ?? 'auto').trim().replace(/px$/, '');
  const fixed = /^\d{2,4}$/.test(heightAttr) ? clampHeight(Number(heightAttr)) : null;

  const query = new URLSearchParams({ room, theme, parent: env.location.origin });
  if (data.lang === 'ko' || data.lang === 'en') {
    query.set('lang', data.lang);
  }
  if (fixed !== null) {
    query.set('layout', 'fill');
  }

  const frame = script.ownerDocument.createElement('iframe');
  frame.src = `${chatOrigin}/embed?${query.toString()}`;
  frame.title = data.lang === 'ko' ? '채팅' : 'Chat';
  frame.setAttribute('style', `display:block;width:100%;border:0;height:${fixed ?? INITIAL_HEIGHT}px`);
  frame.className = 'chatd-embed';
  script.parentNode?.insertBefore(frame, script.nextSibling);

  if (fixed === null) {
    env.addMessageListener((e) => {
      // Only this frame's own chat page may resize it: any other window or origin is ignored.
      if (e.origin !== chatOrigin || e.source !== frame.contentWindow || !isHeightMessage(e.data)) {
        return;
      }
      frame.style.height = `${clampHeight(e.data.height)}px`;
    });
  }
  return frame;
}
