import { useEffect, useState } from 'react';
import type { ChatState } from '../../lib/chatClient.ts';
import { useStrings } from '../../i18n/index.ts';
import { Avatar } from '../Avatar/Avatar.tsx';

export interface StatusBarProps {
  state: ChatState;
  title: string;
  onEditProfile: () => void;
  onReconnectNow: () => void;
}

function useSecondsUntil(at: number | null): number | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (at === null) {
      return;
    }
    setNow(Date.now());
    const id = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(id);
  }, [at]);
  return at === null ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

export function StatusBar({ state, title, onEditProfile, onReconnectNow }: StatusBarProps) {
  const t = useStrings();
  const seconds = useSecondsUntil(state.reconnectAt);
  const text =
    state.status === 'online'
      ? t.statusOnline
      : state.status === 'connecting'
        ? t.statusConnecting
        : state.status === 'reconnecting'
          ? t.statusReconnecting(seconds)
          : t.statusStopped;
  return (
    <header className="status-bar">
      <div className="status-main">
        <h1 className="room-title" dir="auto">
          {title}
        </h1>
        <div className="status-line">
          <span className={`conn conn-${state.status}`} role="status" data-testid="connection-status">
            <span className="conn-dot" aria-hidden="true" />
            {text}
          </span>
          {state.status === 'reconnecting' && state.reconnectAt !== null && (
            <button type="button" className="link-button" onClick={onReconnectNow}>
              {t.reconnectNow}
            </button>
          )}
          {state.online !== null && state.status === 'online' && (
            <span className="presence" data-testid="presence">
              {t.online(state.online)}
            </span>
          )}
        </div>
      </div>
      {state.me && (
        <button
          type="button"
          className="profile-button"
          onClick={onEditProfile}
          aria-label={t.profileButton(state.me.nickname)}
          data-testid="profile-button"
        >
          <Avatar avatar={state.me.avatar} size={28} />
          <span className="profile-name" dir="auto">
            {state.me.nickname}
          </span>
        </button>
      )}
    </header>
  );
}
