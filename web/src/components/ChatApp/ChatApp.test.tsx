import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ChatClient } from '../../lib/chatClient.ts';
import { alice, bob, harness, msg, settle } from '../../test/fakes.ts';
import { renderIn } from '../../test/render.tsx';
import { ChatApp } from './ChatApp.tsx';

const ROOM = 'demo/첫-글';
const bytes = (n: number) => new Uint8Array(n).fill(7);

async function mount(lang: 'ko' | 'en' = 'en') {
  const h = harness();
  const client = new ChatClient(ROOM, h.deps);
  renderIn(lang, <ChatApp client={client} title={ROOM} randomBytes={bytes} />);
  await act(settle);
  const s = h.socket();
  act(() => {
    s.open();
    s.receive({ type: 'welcome', user: alice, token: 'tok' });
    s.receive({ type: 'joined', room: ROOM, last_seq: 2, online: 3 });
    s.receive({ type: 'history', room: ROOM, messages: [msg(1), msg(2)], has_more: false });
  });
  return { h, client, s };
}

describe('ChatApp', () => {
  it('shows history, presence and the connection state', async () => {
    await mount();
    expect(screen.getAllByTestId('message')).toHaveLength(2);
    expect(screen.getByTestId('presence').textContent).toBe('3 online');
    expect(screen.getByTestId('connection-status').textContent).toBe('Connected');
    expect(screen.getByRole('button', { name: `Edit profile (${alice.nickname})` })).toBeTruthy();
  });

  it('sends from the composer, shows it pending, then confirmed', async () => {
    const { s } = await mount();
    const input = screen.getByRole('textbox', { name: 'Message' });
    fireEvent.change(input, { target: { value: 'hello there' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(s.sentOfType('send')).toEqual([{ type: 'send', room: ROOM, text: 'hello there', client_id: 'c1' }]);
    expect(within(screen.getByTestId('pending-message')).getByText('Sending…')).toBeTruthy();
    act(() => {
      s.receive({ type: 'ack', client_id: 'c1', room: ROOM, seq: 3, id: 'm3', ts: msg(3).ts });
      s.receive({ type: 'message', room: ROOM, seq: 3, id: 'm3', user: alice, text: 'hello there', ts: msg(3).ts });
    });
    expect(screen.queryByTestId('pending-message')).toBeNull();
    const mine = screen.getAllByTestId('message').filter((li) => li.classList.contains('own'));
    expect(mine).toHaveLength(1);
    expect(mine[0]?.textContent).toContain('hello there');
  });

  it('disables sending with a reason while reconnecting', async () => {
    const { s } = await mount('ko');
    act(() => s.drop());
    expect(screen.getByTestId('connection-status').textContent).toMatch(/연결이 끊겼습니다|다시 연결하는 중/);
    expect(screen.getByText('오프라인: 연결을 기다리는 중…')).toBeTruthy();
    fireEvent.change(screen.getByRole('textbox'), { target: { value: 'x' } });
    expect(screen.getByRole('button', { name: '보내기' }).hasAttribute('disabled')).toBe(true);
  });

  it('edits the profile and closes the dialog once the server agrees', async () => {
    const { s } = await mount();
    fireEvent.click(screen.getByTestId('profile-button'));
    fireEvent.change(screen.getByLabelText('Nickname'), { target: { value: 'Night Owl' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(s.last()).toEqual({ type: 'profile', nickname: 'Night Owl', avatar: alice.avatar });
    expect(screen.getByRole('dialog')).toBeTruthy();
    act(() => s.receive({ type: 'profile', user: { ...alice, nickname: 'Night Owl' } }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.getByTestId('profile-button').textContent).toBe('Night Owl');
  });

  it('shows who is typing', async () => {
    const { s } = await mount();
    act(() => s.receive({ type: 'typing', room: ROOM, user: bob }));
    expect(screen.getByText(`${bob.nickname} is typing…`)).toBeTruthy();
  });
});
