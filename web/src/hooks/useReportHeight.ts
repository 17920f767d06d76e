import { useEffect } from 'react';
import type { RefObject } from 'react';
import { HEIGHT_MESSAGE } from '../lib/embedMessages.ts';
import type { HeightMessage } from '../lib/embedMessages.ts';

/** Tells the parent page the element's height whenever it changes, so embed.js can size the iframe.
 *  Posts only to the verified parent origin: the browser drops it for any other parent. */
export function useReportHeight(ref: RefObject<HTMLElement | null>, parentOrigin: string | null): void {
  useEffect(() => {
    const el = ref.current;
    if (el === null || parentOrigin === null || window.parent === window) {
      return;
    }
    let last = -1;
    const report = () => {
      const height = Math.ceil(el.getBoundingClientRect().height);
      if (height !== last) {
        last = height;
        const message: HeightMessage = { type: HEIGHT_MESSAGE, height };
        window.parent.postMessage(message, parentOrigin);
      }
    };
    report();
    if (typeof ResizeObserver === 'undefined') {
      return;
    }
    const observer = new ResizeObserver(report);
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref, parentOrigin]);
}
