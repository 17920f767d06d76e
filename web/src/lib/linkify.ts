// Splits message text into plain text and http(s) links. The result is rendered as React text
// nodes and <a> elements, never as HTML, so no message can inject markup.

export type Segment = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

const URL_CANDIDATE = /\bhttps?:\/\/[^\s<>"'`]+/giu;
// Punctuation that usually ends the sentence around a link rather than the link itself.
const TRAILING = /[.,!?;:'"\u3002\uff0c\uff01\uff1f]+$/u;

function trimLink(candidate: string): string {
  let s = candidate.replace(TRAILING, '');
  // Keep a closing parenthesis only when the link opened one (Wikipedia-style URLs).
  while (s.endsWith(')') && count(s, '(') < count(s, ')')) {
    s = s.slice(0, -1).replace(TRAILING, '');
  }
  return s;
}

function count(s: string, c: string): number {
  return s.split(c).length - 1;
}

function safeHref(text: string): string | null {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

export function linkify(text: string): Segment[] {
  const out: Segment[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_CANDIDATE)) {
    const start = match.index;
    const link = trimLink(match[0]);
    const href = link.length > 0 ? safeHref(link) : null;
    if (href === null) {
      continue;
    }
    if (start > last) {
      out.push({ kind: 'text', text: text.slice(last, start) });
    }
    out.push({ kind: 'link', text: link, href });
    last = start + link.length;
  }
  if (last < text.length) {
    out.push({ kind: 'text', text: text.slice(last) });
  }
  return out;
}
