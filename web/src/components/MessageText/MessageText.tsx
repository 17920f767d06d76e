import { useMemo } from 'react';
import { linkify } from '../../lib/linkify.ts';

/** Message text with its http(s) links made clickable. Everything is a React text node or an <a>:
 *  the text is never parsed as HTML. `dir="auto"` lets right-to-left text read correctly. */
export function MessageText({ text }: { text: string }) {
  const segments = useMemo(() => linkify(text), [text]);
  return (
    <div className="message-text" dir="auto">
      {segments.map((s, i) =>
        s.kind === 'link' ? (
          <a key={i} href={s.href} target="_blank" rel="noopener noreferrer nofollow">
            {s.text}
          </a>
        ) : (
          <span key={i}>{s.text}</span>
        ),
      )}
    </div>
  );
}
