import { resolveLang } from '../i18n/index.ts';
import type { Lang } from '../i18n/index.ts';
import { isValidRoom } from './protocol.ts';

export type Theme = 'light' | 'dark' | 'auto';

export interface EmbedParams {
  room: string | null;
  theme: Theme;
  lang: Lang;
  /** The parent page's origin, set only when the referrer (or ancestor origin) confirms it. */
  parentOrigin: string | null;
  /** 'fill' when the blog fixed the frame's height, so the page fills it instead of reporting its own. */
  layout: 'auto' | 'fill';
}

export function parseTheme(v: string | null | undefined): Theme {
  return v === 'light' || v === 'dark' ? v : 'auto';
}

/** Returns the origin for an absolute http(s) URL or origin string, else null. */
export function originOf(v: string | null | undefined): string | null {
  if (!v) {
    return null;
  }
  try {
    const url = new URL(v);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
}

export interface EmbedContext {
  search: string;
  referrer: string;
  /** `location.ancestorOrigins[0]` where the browser has it (Chromium, Safari). */
  ancestorOrigin: string | null;
  languages: readonly string[];
}

export function parseEmbedParams(ctx: EmbedContext): EmbedParams {
  const q = new URLSearchParams(ctx.search);
  const room = q.get('room');
  const claimed = originOf(q.get('parent'));
  // The query is written by whoever links the page, so the parent it names is believed only when the
  // browser agrees: the referrer's origin, or failing that (no-referrer policies) the ancestor origin.
  const witness = originOf(ctx.referrer) ?? originOf(ctx.ancestorOrigin);
  return {
    room: room !== null && isValidRoom(room) ? room : null,
    theme: parseTheme(q.get('theme')),
    lang: resolveLang(q.get('lang'), ctx.languages),
    parentOrigin: claimed !== null && claimed === witness ? claimed : null,
    layout: q.get('layout') === 'fill' ? 'fill' : 'auto',
  };
}

/** The room of the full-page app: `/r/{room}`, URL-decoded. null for `/` and for a bad path. */
export function roomFromPath(pathname: string): string | null {
  if (!pathname.startsWith('/r/')) {
    return null;
  }
  let room: string;
  try {
    room = decodeURIComponent(pathname.slice(3));
  } catch {
    return null;
  }
  return isValidRoom(room) ? room : null;
}
