import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { ChatState } from '../../lib/chatClient.ts';
import { alice } from '../../test/fakes.ts';
import { renderIn } from '../../test/render.tsx';
import { StatusBar } from './StatusBar.tsx';

const base: ChatState = {
  status: 'online',
  room: 'r',
  me: alice,
  messages: [],
  pending: [],
  hasOlder: false,
  loadingOlder: false,
  online: 4,
  typing: [],
  rateLimitedUntil: null,
  profileSaving: false,
  profileError: null,
  reconnectAt: null,
};

describe('StatusBar', () => {
  it('shows presence and the profile while online', () => {
    const onEdit = vi.fn();
    renderIn('ko', <StatusBar state={base} title="채팅" onEditProfile={onEdit} onReconnectNow={vi.fn()} />);
    expect(screen.getByRole('status').textContent).toBe('연결됨');
    expect(screen.getByTestId('presence').textContent).toBe('4명 접속 중');
    fireEvent.click(screen.getByRole('button', { name: `프로필 편집 (${alice.nickname})` }));
    expect(onEdit).toHaveBeenCalled();
  });

  it('counts down to the next attempt and offers to reconnect now', () => {
    const onReconnect = vi.fn();
    const state: ChatState = { ...base, status: 'reconnecting', reconnectAt: Date.now() + 4000 };
    renderIn('en', <StatusBar state={state} title="Chat" onEditProfile={vi.fn()} onReconnectNow={onReconnect} />);
    expect(screen.getByRole('status').textContent).toBe('Connection lost. Reconnecting in 4 s…');
    expect(screen.queryByTestId('presence')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Reconnect now' }));
    expect(onReconnect).toHaveBeenCalled();
  });
});
