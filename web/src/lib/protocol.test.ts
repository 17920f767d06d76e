import { describe, expect, it } from 'vitest';
import { codePointLength, isValidAvatar, isValidClientId, isValidRoom, parseServerFrame, validateNickname } from './protocol.ts';

const user = { id: 'u_1', nickname: 'Quiet Fox 42', avatar: 'ring:Xy3' };

describe('parseServerFrame', () => {
  it('accepts every documented frame', () => {
    const frames = [
      { type: 'welcome', user, token: 't' },
      { type: 'joined', room: 'r', last_seq: 812, online: 3 },
      { type: 'history', room: 'r', messages: [{ seq: 1, id: '1', user, text: 'a', ts: 1 }, { seq: 2, id: '2', deleted: true, ts: 2 }], has_more: true },
      { type: 'ack', client_id: 'c1', room: 'r', seq: 813, id: '4711', ts: 1764086400123 },
      { type: 'message', room: 'r', seq: 813, id: '4711', user, text: 'hi', ts: 1764086400123 },
      { type: 'presence', room: 'r', online: 2 },
      { type: 'typing', room: 'r', user },
      { type: 'deleted', room: 'r', seq: 12 },
      { type: 'profile', user },
      { type: 'error', code: 'rate_limited', message: 'slow', ref: 'c1' },
      { type: 'pong' },
    ];
    for (const f of frames) {
      expect(parseServerFrame(JSON.stringify(f))).toEqual(f);
    }
  });

  it('drops what does not match', () => {
    const bad: unknown[] = [
      '',
      'null',
      '[]',
      '{"type":5}',
      JSON.stringify({ type: 'unknown' }),
      JSON.stringify({ type: 'welcome', user: { id: 'u' }, token: 't' }),
      JSON.stringify({ type: 'joined', last_seq: 1, online: 0 }),
      JSON.stringify({ type: 'history', room: 'r', messages: [{ seq: 1.5, id: '1', user, text: 'a', ts: 1 }] }),
      JSON.stringify({ type: 'message', room: 'r', seq: 1, id: '1', user, text: 5, ts: 1 }),
      JSON.stringify({ type: 'message', room: 'r', seq: 1, id: '1', user, text: '<b>', ts: 'now' }),
      new Blob(['{}']),
      42,
    ];
    for (const b of bad) {
      expect(parseServerFrame(b)).toBeNull();
    }
  });

  it('tolerates missing optional fields', () => {
    expect(parseServerFrame(JSON.stringify({ type: 'welcome', user }))).toEqual({ type: 'welcome', user, token: null });
    expect(parseServerFrame('{"type":"joined","room":"r","last_seq":-1}')).toEqual({ type: 'joined', room: 'r', last_seq: 0, online: null });
  });

  it('treats has_more as false unless it is true, and ref as null unless a string', () => {
    expect(parseServerFrame('{"type":"history","room":"r","messages":[]}')).toMatchObject({ has_more: false });
    expect(parseServerFrame('{"type":"error","code":"x"}')).toEqual({ type: 'error', code: 'x', message: '', ref: null });
  });
});

describe('validation', () => {
  it('counts code points, not UTF-16 units', () => {
    expect(codePointLength('😀가a')).toBe(3);
  });

  it('checks nicknames like the server', () => {
    expect(validateNickname('  호랑이  ')).toEqual({ ok: true, value: '호랑이' });
    expect(validateNickname('   ')).toEqual({ ok: false, reason: 'empty' });
    expect(validateNickname('😀'.repeat(32)).ok).toBe(true);
    expect(validateNickname('😀'.repeat(33))).toEqual({ ok: false, reason: 'long' });
    expect(validateNickname('a\u0007b')).toEqual({ ok: false, reason: 'control' });
  });

  it('checks room ids like the server', () => {
    expect(isValidRoom('posts/첫-글')).toBe(true);
    expect(isValidRoom('/posts/hello-world')).toBe(true);
    expect(isValidRoom('')).toBe(false);
    expect(isValidRoom('a b')).toBe(false);
    expect(isValidRoom('a\u0000')).toBe(false);
    expect(isValidRoom('\ud800x')).toBe(false);
    expect(isValidRoom('가'.repeat(66))).toBe(true); // 198 bytes
    expect(isValidRoom('가'.repeat(67))).toBe(false); // 201 bytes
  });

  it('checks avatars and client ids', () => {
    expect(isValidAvatar('ring:Xy3Qp')).toBe(true);
    expect(isValidAvatar('https://x/y.png')).toBe(false);
    expect(isValidAvatar('ring:')).toBe(false);
    expect(isValidClientId('c_1-a')).toBe(true);
    expect(isValidClientId('c 1')).toBe(false);
  });
});
