import { describe, expect, it } from 'vitest';
import { ACK_TIMEOUT_MS, ChatClient, RATE_LIMIT_PAUSE_MS, TYPING_SHOW_MS } from './chatClient.ts';
import { BACKOFF_BASE_MS, BACKOFF_CAP_MS } from './backoff.ts';
import { TOKEN_KEY } from './storage.ts';
import { alice, bob, harness, msg, settle } from '../test/fakes.ts';
import type { Harness } from '../test/fakes.ts';

const ROOM = 'posts/첫-글';

// A client whose first socket is open and welcomed, before its join is answered.
async function welcomed(h: Harness) {
  const client = new ChatClient(ROOM, h.deps);
  client.start();
  await settle();
  const s = h.socket();
  s.open();
  s.receive({ type: 'welcome', user: alice, token: 'tok-alice' });
  return { client, s };
}

async function connect(h: Harness, history = [msg(1), msg(2), msg(3)], online = 2) {
  const { client, s } = await welcomed(h);
  s.receive({ type: 'joined', room: ROOM, last_seq: history.length, online });
  s.receive({ type: 'history', room: ROOM, messages: history, has_more: false });
  return { client, s };
}

describe('ChatClient session and join', () => {
  it('creates a session on the first visit, keeps its token and joins as a new visitor', async () => {
    const h = harness();
    const client = new ChatClient(ROOM, h.deps);
    expect(client.getSnapshot().status).toBe('connecting');
    client.start();
    await settle();
    expect(h.sessionCalls).toBe(1);
    expect(h.storage.get(TOKEN_KEY)).toBe('tok-session');
    expect(client.getSnapshot().me).toEqual(alice);
    const s = h.socket();
    expect(s.url).toBe('ws://chat.test/ws');
    s.open();
    expect(s.sent).toEqual([{ type: 'hello', token: 'tok-session' }]);
    s.receive({ type: 'welcome', user: alice, token: 'tok-alice' });
    expect(h.storage.get(TOKEN_KEY)).toBe('tok-alice');
    expect(s.last()).toEqual({ type: 'join', room: ROOM });
    s.receive({ type: 'joined', room: ROOM, last_seq: 0, online: 1 });
    expect(client.getSnapshot()).toMatchObject({ status: 'online', online: 1 });
  });

  it('reuses a stored token without asking for a new session', async () => {
    const h = harness();
    h.storage.set(TOKEN_KEY, 'tok-old');
    const client = new ChatClient(ROOM, h.deps);
    client.start();
    await settle();
    h.socket().open();
    expect(h.sessionCalls).toBe(0);
    expect(h.socket().sent[0]).toEqual({ type: 'hello', token: 'tok-old' });
  });

  it('still connects (hello with null) when the session request fails', async () => {
    const h = harness({ session: null });
    const client = new ChatClient(ROOM, h.deps);
    client.start();
    await settle();
    h.socket().open();
    expect(h.socket().sent[0]).toEqual({ type: 'hello', token: null });
  });

  it('shows history in seq order and reports older pages from the lowest seq', async () => {
    const h = harness();
    const { client } = await connect(h, [msg(7), msg(5), msg(6)]);
    const state = client.getSnapshot();
    expect(state.messages.map((m) => m.seq)).toEqual([5, 6, 7]);
    expect(state.hasOlder).toBe(true);
  });

  it('ignores malformed frames and frames for other rooms', async () => {
    const h = harness();
    const { client, s } = await connect(h);
    const before = client.getSnapshot();
    s.receiveRaw('not json');
    s.receiveRaw(new ArrayBuffer(4));
    s.receiveRaw(JSON.stringify({ type: 'message', room: ROOM, seq: 'x', id: 'm', user: bob, text: 'hi', ts: 1 }));
    s.receiveRaw(JSON.stringify({ type: 'message', room: ROOM, seq: 4, id: 'm4', user: { id: 1 }, text: 'hi', ts: 1 }));
    s.receive({ type: 'message', room: 'elsewhere', ...msg(4) });
    s.receive({ type: 'surprise' });
    expect(client.getSnapshot()).toBe(before);
  });
});

describe('ChatClient merge and dedupe', () => {
  it('merges live messages by seq without duplicates', async () => {
    const h = harness();
    const { client, s } = await connect(h);
    s.receive({ type: 'message', room: ROOM, ...msg(4) });
    s.receive({ type: 'message', room: ROOM, ...msg(4) });
    s.receive({ type: 'history', room: ROOM, messages: [msg(3), msg(4)], has_more: false });
    expect(client.getSnapshot().messages.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
  });

  it('fills a hole in live messages by paging forward from the last contiguous seq', async () => {
    const h = harness();
    const { client, s } = await connect(h);
    s.receive({ type: 'message', room: ROOM, ...msg(6) });
    expect(s.last()).toEqual({ type: 'history', room: ROOM, after: 3, limit: 100 });
    s.receive({ type: 'history', room: ROOM, messages: [msg(4), msg(5), msg(6)], has_more: false });
    expect(client.getSnapshot().messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('makes deleted messages disappear, also when a later page repeats them', async () => {
    const h = harness();
    const { client, s } = await connect(h);
    s.receive({ type: 'deleted', room: ROOM, seq: 2 });
    expect(client.getSnapshot().messages.map((m) => m.seq)).toEqual([1, 3]);
    s.receive({ type: 'history', room: ROOM, messages: [msg(2)], has_more: false });
    expect(client.getSnapshot().messages.map((m) => m.seq)).toEqual([1, 3]);
  });

  it('loads older pages before the lowest seq and stops at seq 1', async () => {
    const h = harness();
    const { client, s } = await connect(h, [msg(51), msg(52)]);
    client.loadOlder();
    expect(s.last()).toEqual({ type: 'history', room: ROOM, before: 51, limit: 50 });
    expect(client.getSnapshot().loadingOlder).toBe(true);
    client.loadOlder();
    expect(s.sentOfType('history')).toHaveLength(1);
    const page = Array.from({ length: 50 }, (_, i) => msg(i + 1));
    s.receive({ type: 'history', room: ROOM, messages: page, has_more: false });
    const state = client.getSnapshot();
    expect(state.messages).toHaveLength(52);
    expect(state).toMatchObject({ loadingOlder: false, hasOlder: false });
  });
});

describe('ChatClient sending', () => {
  it('shows a message as pending until its ack, then once in the timeline', async () => {
    const h = harness();
    const { client, s } = await connect(h);
    expect(client.send('  hello  ')).toBe(true);
    expect(s.last()).toEqual({ type: 'send', room: ROOM, text: 'hello', client_id: 'c1' });
    expect(client.getSnapshot().pending).toEqual([{ clientId: 'c1', text: 'hello', status: 'sending', error: null }]);
    s.receive({ type: 'ack', client_id: 'c1', room: ROOM, seq: 4, id: 'm4', ts: 5 });
    let state = client.getSnapshot();
    expect(state.pending).toEqual([]);
    expect(state.messages.at(-1)).toMatchObject({ seq: 4, text: 'hello', user: alice });
    s.receive({ type: 'message', room: ROOM, seq: 4, id: 'm4', user: alice, text: 'hello', ts: 5 });
    state = client.getSnapshot();
    expect(state.messages.filter((m) => m.seq === 4)).toHaveLength(1);
  });

  it('refuses empty and over-long text', async () => {
    const h = harness();
    const { client, s } = await connect(h);
    const sent = s.sent.length;
    expect(client.send('   ')).toBe(false);
    expect(client.send('가'.repeat(2001))).toBe(false);
    expect(client.send('가'.repeat(2000))).toBe(true);
    expect(client.send('😀'.repeat(2000))).toBe(true);
    expect(s.sent.length).toBe(sent + 2);
  });

  it('marks a refused message failed and retries it with the same client_id', async () => {
    const h = harness();
    const { client, s } = await connect(h);
    client.send('hi');
    s.receive({ type: 'error', code: 'unavailable', message: 'db', ref: 'c1' });
    expect(client.getSnapshot().pending[0]).toMatchObject({ status: 'failed', error: 'unavailable' });
    client.retry('c1');
    expect(client.getSnapshot().pending[0]).toMatchObject({ status: 'sending', error: null });
    expect(s.sentOfType('send').map((f) => f.client_id)).toEqual(['c1', 'c1']);
  });

  it('pauses sending after rate_limited and lifts the pause by itself', async () => {
    const h = harness();
    const { client, s } = await connect(h);
    client.send('one');
    s.receive({ type: 'error', code: 'rate_limited', message: 'slow down', ref: 'c1' });
    expect(client.getSnapshot().rateLimitedUntil).not.toBeNull();
    expect(client.send('two')).toBe(false);
    h.clock.advance(RATE_LIMIT_PAUSE_MS);
    expect(client.getSnapshot().rateLimitedUntil).toBeNull();
    expect(client.send('two')).toBe(true);
  });

  it('does not pause sending when only typing notices are rate limited', async () => {
    const h = harness();
    const { client, s } = await connect(h);
    s.receive({ type: 'error', code: 'rate_limited', message: 'typing', ref: null });
    expect(client.getSnapshot().rateLimitedUntil).toBeNull();
    expect(client.send('still fine')).toBe(true);
  });

  it('fails a message whose ack never comes', async () => {
    const h = harness();
    const { client } = await connect(h);
    client.send('hi');
    h.clock.advance(ACK_TIMEOUT_MS - 1);
    expect(client.getSnapshot().pending[0]?.status).toBe('sending');
    h.clock.advance(1);
    expect(client.getSnapshot().pending[0]).toMatchObject({ status: 'failed', error: 'timeout' });
  });

  it('discards a failed message', async () => {
    const h = harness();
    const { client, s } = await connect(h);
    client.send('hi');
    s.receive({ type: 'error', code: 'bad_request', message: '', ref: 'c1' });
    client.discard('c1');
    expect(client.getSnapshot().pending).toEqual([]);
  });
});

describe('ChatClient reconnect', () => {
  it('comes back to a room it saw empty with since 0, so it misses nothing however much was said', async () => {
    const h = harness({ random: 0 });
    const { client, s } = await connect(h, []);
    expect(client.getSnapshot().messages).toEqual([]);
    s.drop(1001);
    h.clock.advance(BACKOFF_BASE_MS / 2);
    await settle();
    const s2 = h.socket();
    s2.open();
    s2.receive({ type: 'welcome', user: alice, token: 'tok-alice' });
    expect(s2.last()).toEqual({ type: 'join', room: ROOM, since: 0 });
  });

  it('joins as a new visitor again when it lost the connection before any history came', async () => {
    const h = harness({ random: 0 });
    const { client, s } = await welcomed(h);
    s.receive({ type: 'joined', room: ROOM, last_seq: 900, online: 1 });
    s.drop();
    h.clock.advance(BACKOFF_BASE_MS / 2);
    await settle();
    const s2 = h.socket();
    s2.open();
    s2.receive({ type: 'welcome', user: alice, token: 'tok-alice' });
    expect(s2.last()).toEqual({ type: 'join', room: ROOM });
    expect(client.getSnapshot().messages).toEqual([]);
  });

  it('reconnects with growing, jittered delays and re-joins with since = last seq seen', async () => {
    const h = harness({ random: 0 });
    const { client, s } = await connect(h);
    s.drop(1001);
    expect(client.getSnapshot().status).toBe('reconnecting');
    expect(h.clock.nextDelay()).toBe(BACKOFF_BASE_MS / 2);
    h.clock.advance(BACKOFF_BASE_MS / 2);
    await settle();
    expect(h.sockets).toHaveLength(2);
    // The second attempt fails too: the wait doubles.
    h.socket().drop();
    expect(h.clock.nextDelay()).toBe(BACKOFF_BASE_MS);
    h.clock.advance(BACKOFF_BASE_MS);
    await settle();
    const s3 = h.socket();
    s3.open();
    expect(s3.sent[0]).toEqual({ type: 'hello', token: 'tok-alice' });
    s3.receive({ type: 'welcome', user: alice, token: 'tok-alice' });
    expect(s3.last()).toEqual({ type: 'join', room: ROOM, since: 3 });
    s3.receive({ type: 'joined', room: ROOM, last_seq: 5, online: 2 });
    s3.receive({ type: 'history', room: ROOM, messages: [msg(4), msg(5)], has_more: false });
    expect(client.getSnapshot().messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(client.getSnapshot().status).toBe('online');
    // A successful join resets the backoff.
    s3.drop();
    expect(h.clock.nextDelay()).toBe(BACKOFF_BASE_MS / 2);
  });

  it('never waits longer than the cap', async () => {
    const h = harness({ random: 1 });
    const client = new ChatClient(ROOM, h.deps);
    client.start();
    await settle();
    for (let i = 0; i < 20; i++) {
      h.socket().drop();
      const delay = h.clock.nextDelay();
      expect(delay).not.toBeNull();
      expect(delay ?? Infinity).toBeLessThanOrEqual(BACKOFF_CAP_MS);
      h.clock.advance(delay ?? 0);
      await settle();
    }
    h.socket().drop();
    expect(h.clock.nextDelay()).toBe(BACKOFF_CAP_MS);
  });

  it('pages a long catch-up forward until has_more is false', async () => {
    const h = harness();
    const { client, s } = await connect(h);
    s.drop();
    h.clock.advance(BACKOFF_BASE_MS);
    await settle();
    const s2 = h.socket();
    s2.open();
    s2.receive({ type: 'welcome', user: alice, token: 'tok-alice' });
    s2.receive({ type: 'joined', room: ROOM, last_seq: 600, online: 2 });
    const first = Array.from({ length: 500 }, (_, i) => msg(i + 4));
    s2.receive({ type: 'history', room: ROOM, messages: first, has_more: true });
    expect(s2.last()).toEqual({ type: 'history', room: ROOM, after: 503, limit: 100 });
    const rest = Array.from({ length: 97 }, (_, i) => msg(i + 504));
    s2.receive({ type: 'history', room: ROOM, messages: rest, has_more: false });
    const seqs = client.getSnapshot().messages.map((m) => m.seq);
    expect(seqs).toHaveLength(600);
    expect(new Set(seqs).size).toBe(600);
    expect(s2.sentOfType('history')).toHaveLength(1);
  });

  it('resends in-flight messages with the same client_id after re-joining', async () => {
    const h = harness();
    const { client, s } = await connect(h);
    client.send('during outage');
    s.drop();
    expect(client.getSnapshot().pending[0]?.status).toBe('sending');
    h.clock.advance(BACKOFF_BASE_MS);
    await settle();
    const s2 = h.socket();
    s2.open();
    s2.receive({ type: 'welcome', user: alice, token: 'tok-alice' });
    expect(s2.sentOfType('send')).toHaveLength(0);
    s2.receive({ type: 'joined', room: ROOM, last_seq: 4, online: 2 });
    expect(s2.sentOfType('send')).toEqual([{ type: 'send', room: ROOM, text: 'during outage', client_id: 'c1' }]);
    // The server had stored it before the drop: catch-up brings it and the ack repeats the original.
    s2.receive({ type: 'history', room: ROOM, messages: [{ ...msg(4, alice, 'during outage') }], has_more: false });
    s2.receive({ type: 'ack', client_id: 'c1', room: ROOM, seq: 4, id: 'm4', ts: msg(4).ts });
    const state = client.getSnapshot();
    expect(state.pending).toEqual([]);
    expect(state.messages.filter((m) => m.text === 'during outage')).toHaveLength(1);
  });

  it('gives up a socket that never opens and tries again', async () => {
    const h = harness();
    const client = new ChatClient(ROOM, h.deps);
    client.start();
    await settle();
    h.clock.advance(10_000);
    expect(h.socket().closed).toBe(true);
    expect(client.getSnapshot().status).toBe('reconnecting');
  });

  it('reconnectNow skips the wait, and stop ends everything', async () => {
    const h = harness();
    const { client, s } = await connect(h);
    s.drop();
    client.reconnectNow();
    await settle();
    expect(h.sockets).toHaveLength(2);
    client.stop();
    expect(h.socket().closed).toBe(true);
    expect(client.getSnapshot().status).toBe('stopped');
    expect(h.clock.pendingTimers()).toBe(0);
  });
});

describe('ChatClient presence, typing and profile', () => {
  it('tracks presence', async () => {
    const h = harness();
    const { client, s } = await connect(h);
    expect(client.getSnapshot().online).toBe(2);
    s.receive({ type: 'presence', room: ROOM, online: 5 });
    expect(client.getSnapshot().online).toBe(5);
  });

  it('shows who is typing for a few seconds, never the reader', async () => {
    const h = harness();
    const { client, s } = await connect(h);
    s.receive({ type: 'typing', room: ROOM, user: alice });
    expect(client.getSnapshot().typing).toEqual([]);
    s.receive({ type: 'typing', room: ROOM, user: bob });
    expect(client.getSnapshot().typing).toEqual([bob]);
    h.clock.advance(TYPING_SHOW_MS);
    expect(client.getSnapshot().typing).toEqual([]);
  });

  it('throttles its own typing notices', async () => {
    const h = harness();
    const { client, s } = await connect(h);
    client.notifyTyping();
    client.notifyTyping();
    expect(s.sentOfType('typing')).toHaveLength(1);
    h.clock.advance(3000);
    client.notifyTyping();
    expect(s.sentOfType('typing')).toHaveLength(2);
  });

  it('saves the profile and reports a refusal', async () => {
    const h = harness();
    const { client, s } = await connect(h);
    expect(client.saveProfile('  새 이름  ', 'pixel:abc')).toBe(true);
    expect(s.last()).toEqual({ type: 'profile', nickname: '새 이름', avatar: 'pixel:abc' });
    expect(client.getSnapshot().profileSaving).toBe(true);
    s.receive({ type: 'profile', user: { ...alice, nickname: '새 이름', avatar: 'pixel:abc' } });
    expect(client.getSnapshot()).toMatchObject({ profileSaving: false, me: { nickname: '새 이름' } });

    expect(client.saveProfile('x', 'pixel:abc')).toBe(true);
    s.receive({ type: 'error', code: 'bad_request', message: 'nickname', ref: null });
    expect(client.getSnapshot()).toMatchObject({ profileSaving: false, profileError: 'bad_request' });

    expect(client.saveProfile('   ', 'pixel:abc')).toBe(false);
    expect(client.getSnapshot().profileError).toBe('nickname_empty');
    expect(client.saveProfile('a'.repeat(33), 'pixel:abc')).toBe(false);
    expect(client.saveProfile('ok', 'https://evil/x.png')).toBe(false);
  });
});
