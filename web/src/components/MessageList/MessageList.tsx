import { useLayoutEffect, useRef, useState } from 'react';
import type { PendingMessage } from '../../lib/chatClient.ts';
import type { LiveMessage, User } from '../../lib/protocol.ts';
import { fullTime, relativeTime } from '../../lib/time.ts';
import { useLang, useStrings } from '../../i18n/index.ts';
import { useNow } from '../../hooks/useNow.ts';
import { Avatar } from '../Avatar/Avatar.tsx';
import { MessageText } from '../MessageText/MessageText.tsx';

export interface MessageListProps {
  messages: readonly LiveMessage[];
  pending: readonly PendingMessage[];
  me: User | null;
  hasOlder: boolean;
  loadingOlder: boolean;
  onLoadOlder: () => void;
  onRetry: (clientId: string) => void;
  onDiscard: (clientId: string) => void;
}

/** Messages closer than this by the same author form one run with a single header. */
export const GROUP_WINDOW_MS = 5 * 60 * 1000;
/** Within this many pixels of the end the reader counts as "at the newest" and follows new messages. */
const STICK_PX = 48;
/** Scrolling this close to the top loads the previous page. */
const LOAD_OLDER_PX = 64;
/** Longest announcement read out by screen readers; the full text stays in the list. */
const ANNOUNCE_CHARS = 200;

function bottomIn(scroller: Element, item: Element): number {
  return item.getBoundingClientRect().bottom - scroller.getBoundingClientRect().top;
}

interface Seen {
  first: number;
  last: number;
  pending: number;
  scrollHeight: number;
}

export function MessageList(props: MessageListProps) {
  const { messages, pending, me, hasOlder, loadingOlder, onLoadOlder, onRetry, onDiscard } = props;
  const t = useStrings();
  const lang = useLang();
  const now = useNow();
  const scroller = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const seen = useRef<Seen>({ first: 0, last: 0, pending: 0, scrollHeight: 0 });
  // Where the oldest shown message ended (px from the scroller's top) when an older page was asked for.
  const anchor = useRef<{ seq: number; bottom: number } | null>(null);
  const [unseen, setUnseen] = useState(0);
  const [announcement, setAnnouncement] = useState('');

  const first = messages[0]?.seq ?? 0;
  const lastMessage = messages[messages.length - 1];
  const last = lastMessage?.seq ?? 0;

  useLayoutEffect(() => {
    const el = scroller.current;
    if (el === null) {
      return;
    }
    const prev = seen.current;
    const toBottom = () => {
      el.scrollTop = el.scrollHeight;
      atBottom.current = true;
    };
    if (prev.last === 0 && last > 0) {
      toBottom();
    } else if (first !== 0 && prev.first !== 0 && first < prev.first && last === prev.last) {
      // An older page went in above: keep what the reader was looking at in place. The old first
      // message's bottom edge is the anchor (its header may vanish as it joins the run above it).
      const mark = anchor.current;
      const item = mark ? el.querySelector(`[data-seq="${mark.seq}"]`) : null;
      if (mark && item) {
        el.scrollTop += bottomIn(el, item) - mark.bottom;
      } else {
        el.scrollTop += el.scrollHeight - prev.scrollHeight;
      }
      anchor.current = null;
    } else if (last > prev.last || pending.length > prev.pending) {
      const fresh = messages.filter((m) => m.seq > prev.last);
      const mine = pending.length > prev.pending || (lastMessage !== undefined && lastMessage.user.id === me?.id);
      if (atBottom.current || mine) {
        toBottom();
        setUnseen(0);
      } else {
        const others = fresh.filter((m) => m.user.id !== me?.id).length;
        if (others > 0) {
          setUnseen((n) => n + others);
        }
      }
      const latestOther = [...fresh].reverse().find((m) => m.user.id !== me?.id);
      if (prev.last !== 0 && latestOther) {
        setAnnouncement(t.newMessageAnnouncement(latestOther.user.nickname, latestOther.text.slice(0, ANNOUNCE_CHARS)));
      }
    }
    seen.current = { first, last, pending: pending.length, scrollHeight: el.scrollHeight };
  }, [first, last, pending.length, messages, lastMessage, me, t]);

  const loadOlder = () => {
    const el = scroller.current;
    const item = el?.querySelector(`[data-seq="${first}"]`);
    anchor.current = el && item ? { seq: first, bottom: bottomIn(el, item) } : null;
    onLoadOlder();
  };

  const onScroll = () => {
    const el = scroller.current;
    if (el === null) {
      return;
    }
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < STICK_PX;
    // The reader may keep scrolling while the older page is on its way: follow the anchor.
    const mark = anchor.current;
    const item = mark ? el.querySelector(`[data-seq="${mark.seq}"]`) : null;
    if (mark && item) {
      mark.bottom = bottomIn(el, item);
    }
    if (atBottom.current && unseen > 0) {
      setUnseen(0);
    }
    if (el.scrollTop < LOAD_OLDER_PX && hasOlder && !loadingOlder) {
      loadOlder();
    }
  };

  const jumpToNewest = () => {
    const el = scroller.current;
    if (el !== null) {
      el.scrollTop = el.scrollHeight;
      atBottom.current = true;
    }
    setUnseen(0);
  };

  return (
    <section className="messages" aria-label={t.messagesLabel}>
      <div className="message-scroller" ref={scroller} onScroll={onScroll} tabIndex={0} data-testid="message-scroller">
        <div className="history-edge">
          {hasOlder ? (
            <button type="button" className="link-button" onClick={loadOlder} disabled={loadingOlder}>
              {loadingOlder ? t.loadingEarlier : t.loadEarlier}
            </button>
          ) : messages.length > 0 ? (
            <span>{t.beginning}</span>
          ) : pending.length === 0 ? (
            <span>{t.empty}</span>
          ) : null}
        </div>
        <ol className="message-list">
          {messages.map((m, i) => {
            const before = messages[i - 1];
            const continued = before !== undefined && before.user.id === m.user.id && m.ts - before.ts < GROUP_WINDOW_MS;
            const own = m.user.id === me?.id;
            return (
              <li
                key={m.seq}
                className={`message${own ? ' own' : ''}${continued ? ' continued' : ''}`}
                data-seq={m.seq}
                data-testid="message"
              >
                {continued ? (
                  <time className="time time-hover" dateTime={new Date(m.ts).toISOString()} title={fullTime(m.ts, lang)}>
                    {relativeTime(m.ts, now, lang)}
                  </time>
                ) : (
                  <>
                    <Avatar avatar={m.user.avatar} size={32} />
                    <div className="message-header">
                      <span className="nickname" dir="auto">
                        {m.user.nickname}
                      </span>
                      {own && <span className="you-badge">{t.you}</span>}
                      <time className="time" dateTime={new Date(m.ts).toISOString()} title={fullTime(m.ts, lang)}>
                        {relativeTime(m.ts, now, lang)}
                      </time>
                    </div>
                  </>
                )}
                {own && <span className="sr-only">{t.ownMessage}</span>}
                <MessageText text={m.text} />
              </li>
            );
          })}
          {pending.map((p) => (
            <li key={p.clientId} className={`message own pending ${p.status}`} data-testid="pending-message">
              <span className="sr-only">{t.ownMessage}</span>
              <MessageText text={p.text} />
              {p.status === 'sending' ? (
                <span className="pending-status">{t.sending}</span>
              ) : (
                <span className="pending-status failed-status" role="alert">
                  {t.failed}: {t.failReason(p.error ?? '')}{' '}
                  <button type="button" className="link-button" onClick={() => onRetry(p.clientId)}>
                    {t.retry}
                  </button>{' '}
                  <button type="button" className="link-button" onClick={() => onDiscard(p.clientId)}>
                    {t.discard}
                  </button>
                </span>
              )}
            </li>
          ))}
        </ol>
      </div>
      {unseen > 0 && (
        <button type="button" className="new-pill" onClick={jumpToNewest} data-testid="new-messages-pill">
          {t.newMessages(unseen)} ↓
        </button>
      )}
      <div className="sr-only" aria-live="polite" aria-atomic="true" data-testid="announcer">
        {announcement}
      </div>
    </section>
  );
}
