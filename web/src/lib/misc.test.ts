import { describe, expect, it } from 'vitest';
import { AVATAR_STYLES, drawAvatar, parseAvatar, randomSeed } from './avatar.ts';
import { BACKOFF_CAP_MS, backoffDelay } from './backoff.ts';
import { clampHeight, isHeightMessage } from './embedMessages.ts';
import { parseEmbedParams, roomFromPath } from './embedParams.ts';
import { linkify } from './linkify.ts';
import { MemoryStore, SafeStore } from './storage.ts';
import { Timeline } from './timeline.ts';
import { relativeTime } from './time.ts';

const u = { id: 'u', nickname: 'n', avatar: 'ring:a' };

describe('linkify', () => {
  it('finds http(s) links and leaves the rest as text', () => {
    expect(linkify('see https://example.com/a?b=1, and http://x.test.')).toEqual([
      { kind: 'text', text: 'see ' },
      { kind: 'link', text: 'https://example.com/a?b=1', href: 'https://example.com/a?b=1' },
      { kind: 'text', text: ', and ' },
      { kind: 'link', text: 'http://x.test', href: 'http://x.test/' },
      { kind: 'text', text: '.' },
    ]);
  });

  it('keeps balanced parentheses and drops a closing one that belongs to the sentence', () => {
    expect(linkify('(https://en.wikipedia.org/wiki/Foo_(bar))').map((s) => s.text)).toEqual([
      '(',
      'https://en.wikipedia.org/wiki/Foo_(bar)',
      ')',
    ]);
  });

  it('never links other schemes', () => {
    expect(linkify('javascript:alert(1) data:text/html,<b>x</b>')).toEqual([
      { kind: 'text', text: 'javascript:alert(1) data:text/html,<b>x</b>' },
    ]);
  });
});

describe('avatar', () => {
  it('is deterministic per style:seed and differs between seeds', () => {
    expect(drawAvatar('pixel:abc')).toEqual(drawAvatar('pixel:abc'));
    expect(drawAvatar('pixel:abc')).not.toEqual(drawAvatar('pixel:abd'));
  });

  it('draws every known style and falls back to ring', () => {
    for (const style of AVATAR_STYLES) {
      const d = drawAvatar(`${style}:seed`);
      expect(d.style).toBe(style);
      expect(d.shapes.length).toBeGreaterThan(0);
    }
    expect(drawAvatar('hologram:seed').style).toBe('ring');
    expect(parseAvatar('nonsense')).toEqual({ style: 'ring', seed: 'nonsense' });
  });

  it('makes seeds the server accepts', () => {
    const seed = randomSeed((n) => Uint8Array.from({ length: n }, (_, i) => i * 37));
    expect(seed).toMatch(/^[A-Za-z0-9_-]{10}$/);
  });
});

describe('backoff', () => {
  it('grows exponentially within [step/2, step] and stops at the cap', () => {
    expect(backoffDelay(0, () => 0)).toBe(250);
    expect(backoffDelay(0, () => 1)).toBe(500);
    expect(backoffDelay(3, () => 0.5)).toBe(3000);
    expect(backoffDelay(50, () => 1)).toBe(BACKOFF_CAP_MS);
  });
});

describe('storage', () => {
  it('falls back to memory when storage throws', () => {
    const store = new SafeStore(() => {
      throw new DOMException('blocked', 'SecurityError');
    });
    expect(store.get('k')).toBeNull();
    store.set('k', 'v');
    expect(store.get('k')).toBe('v');
    store.remove('k');
    expect(store.get('k')).toBeNull();
  });

  it('survives a storage whose writes fail', () => {
    const broken = {
      getItem: () => null,
      setItem: () => {
        throw new DOMException('full', 'QuotaExceededError');
      },
      removeItem: () => undefined,
    } as unknown as Storage;
    const store = new SafeStore(() => broken);
    store.set('k', 'v');
    expect(store.get('k')).toBe('v');
  });

  it('reads what real storage holds', () => {
    localStorage.setItem('chatd_token', 'abc');
    expect(new SafeStore(() => localStorage).get('chatd_token')).toBe('abc');
    localStorage.clear();
    expect(new MemoryStore().get('x')).toBeNull();
  });
});

describe('Timeline', () => {
  it('tracks the contiguous top across holes', () => {
    const t = new Timeline();
    t.merge([1, 2, 3, 5].map((seq) => ({ seq, id: `${seq}`, user: u, text: 'x', ts: seq })));
    expect(t.contiguousTop()).toBe(3);
    expect(t.maxSeq()).toBe(5);
    t.merge([{ seq: 4, id: '4', deleted: true, ts: 4 }]);
    expect(t.contiguousTop()).toBe(5);
    expect(t.visible().map((m) => m.seq)).toEqual([1, 2, 3, 5]);
  });

  it('returns the same array until something changes', () => {
    const t = new Timeline();
    t.merge([{ seq: 1, id: '1', user: u, text: 'x', ts: 1 }]);
    const a = t.visible();
    expect(t.merge([{ seq: 1, id: '1', user: u, text: 'x', ts: 1 }])).toBe(false);
    expect(t.visible()).toBe(a);
  });
});

describe('embed params', () => {
  const base = { referrer: 'https://blog.example.com/posts/1', ancestorOrigin: null, languages: ['ko-KR'] };

  it('trusts the parent origin only when the referrer agrees', () => {
    const ok = parseEmbedParams({ ...base, search: '?room=posts%2F1&theme=dark&parent=https%3A%2F%2Fblog.example.com' });
    expect(ok).toEqual({ room: 'posts/1', theme: 'dark', lang: 'ko', parentOrigin: 'https://blog.example.com', layout: 'auto' });
    const lie = parseEmbedParams({ ...base, search: '?room=r&parent=https%3A%2F%2Fevil.example' });
    expect(lie.parentOrigin).toBeNull();
    const noRef = parseEmbedParams({ ...base, referrer: '', search: '?room=r&parent=https%3A%2F%2Fblog.example.com' });
    expect(noRef.parentOrigin).toBeNull();
    const ancestor = parseEmbedParams({
      ...base,
      referrer: '',
      ancestorOrigin: 'https://blog.example.com',
      search: '?room=r&parent=https%3A%2F%2Fblog.example.com',
    });
    expect(ancestor.parentOrigin).toBe('https://blog.example.com');
  });

  it('refuses bad rooms and unknown themes and languages', () => {
    const p = parseEmbedParams({ ...base, languages: ['fr'], search: '?room=a%20b&theme=neon&lang=xx&layout=fill' });
    expect(p).toMatchObject({ room: null, theme: 'auto', lang: 'en', layout: 'fill' });
  });

  it('reads the full-page room from the path', () => {
    expect(roomFromPath('/r/posts%2F%EC%B2%AB-%EA%B8%80')).toBe('posts/첫-글');
    expect(roomFromPath('/r/demo/첫-글')).toBe('demo/첫-글');
    expect(roomFromPath('/r/%E0%A4%A')).toBeNull();
    expect(roomFromPath('/r/')).toBeNull();
    expect(roomFromPath('/')).toBeNull();
  });

  it('accepts only well-formed height messages', () => {
    expect(isHeightMessage({ type: 'chatd:height', height: 10 })).toBe(true);
    expect(isHeightMessage({ type: 'chatd:height', height: Infinity })).toBe(false);
    expect(isHeightMessage('chatd:height')).toBe(false);
    expect(clampHeight(1)).toBe(240);
  });
});

describe('relativeTime', () => {
  it('speaks both languages', () => {
    const now = 1_764_086_400_000;
    expect(relativeTime(now - 3 * 60_000, now, 'en')).toBe('3 minutes ago');
    expect(relativeTime(now - 2 * 86_400_000, now, 'ko')).toBe('그저께');
    expect(relativeTime(now - 5_000, now, 'en')).toBe('now');
  });
});
