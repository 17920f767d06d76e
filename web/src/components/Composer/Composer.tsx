import { useId, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { MAX_TEXT_CODE_POINTS, codePointLength } from '../../lib/protocol.ts';
import { useStrings } from '../../i18n/index.ts';

export type ComposerBlock = 'connecting' | 'offline' | 'rate_limited' | null;

export interface ComposerProps {
  /** Why sending is not possible right now; null when it is. */
  blocked: ComposerBlock;
  /** Returns whether the message was taken; the draft is kept when it was not. */
  onSend: (text: string) => boolean;
  onTyping: () => void;
}

/** The counter appears this close to the limit, so short messages stay uncluttered. */
export const COUNTER_FROM = 1800;

export function Composer({ blocked, onSend, onTyping }: ComposerProps) {
  const t = useStrings();
  const [draft, setDraft] = useState('');
  const reasonId = useId();
  const counterId = useId();
  const length = codePointLength(draft.trim());
  const over = length - MAX_TEXT_CODE_POINTS;
  const canSend = blocked === null && length > 0 && over <= 0;
  const reason =
    blocked === 'offline'
      ? t.disabledOffline
      : blocked === 'connecting'
        ? t.disabledConnecting
        : blocked === 'rate_limited'
          ? t.disabledRateLimited
          : null;

  const submit = () => {
    if (canSend && onSend(draft)) {
      setDraft('');
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    // Enter that confirms an IME composition (Korean, Japanese…) must not send half a word.
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      submit();
    }
  };

  const describedBy = [reason ? reasonId : null, length >= COUNTER_FROM ? counterId : null].filter(Boolean).join(' ');

  return (
    <form
      className="composer"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <textarea
        className="composer-input"
        aria-label={t.composerLabel}
        aria-describedby={describedBy || undefined}
        aria-invalid={over > 0 || undefined}
        placeholder={t.composerPlaceholder}
        value={draft}
        rows={2}
        dir="auto"
        enterKeyHint="send"
        onChange={(e) => {
          setDraft(e.target.value);
          if (e.target.value.trim() !== '') {
            onTyping();
          }
        }}
        onKeyDown={onKeyDown}
        data-testid="composer-input"
      />
      <div className="composer-row">
        <span className="composer-reason" id={reasonId} role="status">
          {reason}
        </span>
        {length >= COUNTER_FROM && (
          <span
            className={`counter${over > 0 ? ' over' : ''}`}
            id={counterId}
            aria-label={over > 0 ? t.tooLong(over) : t.counterLabel(MAX_TEXT_CODE_POINTS - length)}
            data-testid="counter"
          >
            {t.counter(length, MAX_TEXT_CODE_POINTS)}
          </span>
        )}
        <button type="submit" className="send-button" disabled={!canSend} data-testid="send-button">
          {t.send}
        </button>
      </div>
    </form>
  );
}
