import { useEffect, useId, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { AVATAR_STYLES, parseAvatar, randomSeed } from '../../lib/avatar.ts';
import type { User } from '../../lib/protocol.ts';
import { MAX_NICKNAME_CODE_POINTS } from '../../lib/protocol.ts';
import { useStrings } from '../../i18n/index.ts';
import { Avatar } from '../Avatar/Avatar.tsx';

export interface ProfileDialogProps {
  me: User;
  saving: boolean;
  error: string | null;
  onSave: (nickname: string, avatar: string) => void;
  onClose: () => void;
  randomBytes: (n: number) => Uint8Array;
}

/** Candidates per "other avatars" click: two seeds for each style. */
const SEEDS_PER_STYLE = 2;

function candidates(current: string, randomBytes: (n: number) => Uint8Array): string[] {
  const list = [current];
  const { seed } = parseAvatar(current);
  for (const style of AVATAR_STYLES) {
    const same = `${style}:${seed}`;
    if (!list.includes(same)) {
      list.push(same);
    }
  }
  for (let i = 0; i < SEEDS_PER_STYLE - 1; i++) {
    for (const style of AVATAR_STYLES) {
      list.push(`${style}:${randomSeed(randomBytes)}`);
    }
  }
  return list;
}

export function ProfileDialog({ me, saving, error, onSave, onClose, randomBytes }: ProfileDialogProps) {
  const t = useStrings();
  const titleId = useId();
  const errorId = useId();
  const [nickname, setNickname] = useState(me.nickname);
  const [avatar, setAvatar] = useState(me.avatar);
  const [options, setOptions] = useState(() => candidates(me.avatar, randomBytes));
  const nameInput = useRef<HTMLInputElement>(null);
  const dialog = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    nameInput.current?.focus();
    nameInput.current?.select();
    return () => previous?.focus();
  }, []);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      onClose();
      return;
    }
    if (e.key !== 'Tab' || dialog.current === null) {
      return;
    }
    // Keep focus inside the modal dialog.
    const focusable = dialog.current.querySelectorAll<HTMLElement>('input:not([disabled]), button:not([disabled])');
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (first === undefined || last === undefined) {
      return;
    }
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  };

  return (
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        ref={dialog}
        onKeyDown={onKeyDown}
        data-testid="profile-dialog"
      >
        <form
          onSubmit={(e) => {
            e.preventDefault();
            onSave(nickname, avatar);
          }}
        >
          <h2 id={titleId}>{t.profileTitle}</h2>
          <label className="field">
            <span>{t.nicknameLabel}</span>
            <input
              ref={nameInput}
              value={nickname}
              onChange={(e) => setNickname(e.target.value)}
              maxLength={MAX_NICKNAME_CODE_POINTS * 2}
              autoComplete="nickname"
              dir="auto"
              aria-invalid={error !== null || undefined}
              aria-describedby={error !== null ? errorId : undefined}
              data-testid="nickname-input"
            />
          </label>
          <fieldset className="avatar-picker">
            <legend>{t.avatarLabel}</legend>
            <div className="avatar-options">
              {options.map((option, i) => (
                <label key={option} className="avatar-option" data-testid="avatar-option">
                  <input
                    type="radio"
                    name="avatar"
                    value={option}
                    checked={avatar === option}
                    onChange={() => setAvatar(option)}
                    className="sr-only-input"
                  />
                  <Avatar avatar={option} size={40} label={`${t.avatarStyle(parseAvatar(option).style)} ${i + 1}`} />
                </label>
              ))}
            </div>
            <button type="button" className="link-button" onClick={() => setOptions(candidates(avatar, randomBytes))}>
              {t.shuffle}
            </button>
          </fieldset>
          {error !== null && (
            <p className="form-error" id={errorId} role="alert">
              {t.profileError(error)}
            </p>
          )}
          <div className="dialog-actions">
            <button type="button" onClick={onClose}>
              {t.cancel}
            </button>
            <button type="submit" className="primary" disabled={saving} data-testid="profile-save">
              {saving ? t.saving : t.save}
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}
