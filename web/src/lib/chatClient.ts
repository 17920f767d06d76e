// The chat connection for one room, as a plain class outside React: it owns the socket, reconnects
// with backoff, re-joins with `since` so nothing is missed, and publishes immutable snapshots that
// components read through useSyncExternalStore. Every effect on the outside world (socket, session
// request, storage, timers, clock, randomness) comes in through ChatClientDeps, so tests drive it
// with fakes and fake time.

import { backoffDelay } from './backoff.ts';
import {
  HISTORY_PAGE,
  MAX_TEXT_CODE_POINTS,
  codePointLength,
  isValidAvatar,
  parseServerFrame,
  validateNickname,
} from './protocol.ts';
import type { ClientFrame, LiveMessage, ServerFrame, User } from './protocol.ts';
import type { KeyValueStore } from './storage.ts';
import { TOKEN_KEY } from './storage.ts';
import { Timeline } from './timeline.ts';

export type ConnectionStatus = 'connecting' | 'online' | 'reconnecting' | 'stopped';

export interface PendingMessage {
  clientId: string;
  text: string;
  status: 'sending' | 'failed';
  /** Why it failed: a server error code, or 'timeout' when no ack came in time. */
  error: string | null;
}

export interface ChatState {
  status: ConnectionStatus;
  room: string;
  me: User | null;
  messages: readonly LiveMessage[];
  pending: readonly PendingMessage[];
  /** Older messages exist on the server (seqs start at 1 and have no gaps). */
  hasOlder: boolean;
  loadingOlder: boolean;
  online: number | null;
  typing: readonly User[];
  /** Until when (client clock, ms) the server refuses sends; null when it does not. */
  rateLimitedUntil: number | null;
  profileSaving: boolean;
  profileError: string | null;
  /** When the next reconnect attempt starts (client clock, ms), while waiting for it. */
  reconnectAt: number | null;
}

export interface SocketHandlers {
  open(): void;
  message(data: unknown): void;
  close(code: number): void;
}

export interface SocketLike {
  send(data: string): void;
  close(code?: number): void;
}

export type SocketFactory = (url: string, handlers: SocketHandlers) => SocketLike;

export interface Session {
  user: User;
  token: string;
}

export interface ChatClientDeps {
  url: string;
  createSocket: SocketFactory;
  /** POST /api/session: sets the identity cookie and returns the guest; null when it failed. */
  fetchSession(): Promise<Session | null>;
  storage: KeyValueStore;
  now(): number;
  random(): number;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
  newClientId(): string;
}

/** No ack within this time marks a message failed (with retry): the server answers in well under a
 *  second, so this only fires when the connection is silently dead. */
export const ACK_TIMEOUT_MS = 15_000;
/** A socket that has not opened by then is abandoned and retried. */
export const CONNECT_TIMEOUT_MS = 10_000;
/** How long someone else's typing notice shows (docs/protocol.md: about 5 s). */
export const TYPING_SHOW_MS = 5_000;
/** The server lets typing through at 1 per 3 s; sending more often only earns rate_limited. */
export const TYPING_SEND_INTERVAL_MS = 3_000;
/** How long the composer stays disabled after rate_limited: the send bucket refills at 1/s. */
export const RATE_LIMIT_PAUSE_MS = 2_000;
/** Forward catch-up page size; the server allows at most 100. */
export const CATCH_UP_PAGE = 100;

type HistoryKind = 'latest' | 'after' | 'before';

export class ChatClient {
  private state: ChatState;
  private readonly listeners = new Set<() => void>();
  private readonly timeline = new Timeline();
  private socket: SocketLike | null = null;
  private generation = 0;
  private joined = false;
  // Whether a join's history has arrived: from then on the client has the room up to
  // contiguousTop(), which is 0 for a room it saw empty.
  private caughtUp = false;
  private welcomed = false;
  private started = false;
  private stopped = false;
  private attempt = 0;
  private historyQueue: HistoryKind[] = [];
  private reconnectTimer: unknown = null;
  private connectTimer: unknown = null;
  private rateTimer: unknown = null;
  private typingTimer: unknown = null;
  private readonly ackTimers = new Map<string, unknown>();
  private readonly typingUsers = new Map<string, { user: User; until: number }>();
  private lastTypingSent = -Infinity;
  private sessionFetched = false;

  constructor(
    room: string,
    private readonly deps: ChatClientDeps,
  ) {
    this.state = {
      status: 'connecting',
      room,
      me: null,
      messages: [],
      pending: [],
      hasOlder: false,
      loadingOlder: false,
      online: null,
      typing: [],
      rateLimitedUntil: null,
      profileSaving: false,
      profileError: null,
      reconnectAt: null,
    };
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  readonly getSnapshot = (): ChatState => this.state;

  start(): void {
    if (this.started) {
      return;
    }
    this.started = true;
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.clearTimer('reconnectTimer');
    this.clearTimer('connectTimer');
    this.clearTimer('rateTimer');
    this.clearTimer('typingTimer');
    for (const t of this.ackTimers.values()) {
      this.deps.clearTimer(t);
    }
    this.ackTimers.clear();
    const socket = this.socket;
    this.socket = null;
    this.generation++;
    socket?.close(1000);
    this.update({ status: 'stopped', reconnectAt: null });
  }

  /** Skips the rest of the backoff wait (the browser came back online, or the reader asked). */
  reconnectNow(): void {
    if (this.stopped || this.socket !== null || this.reconnectTimer === null) {
      return;
    }
    this.clearTimer('reconnectTimer');
    void this.connect();
  }

  /** Queues a message; returns false (and sends nothing) when the text is empty, too long, or the
   *  server asked us to slow down. */
  send(text: string): boolean {
    const trimmed = text.trim();
    const length = codePointLength(trimmed);
    if (length === 0 || length > MAX_TEXT_CODE_POINTS || this.isRateLimited()) {
      return false;
    }
    const clientId = this.deps.newClientId();
    this.update({ pending: [...this.state.pending, { clientId, text: trimmed, status: 'sending', error: null }] });
    this.transmit(clientId, trimmed);
    return true;
  }

  /** Sends a failed message again with the same client_id, so the server stores it at most once. */
  retry(clientId: string): void {
    const p = this.state.pending.find((m) => m.clientId === clientId);
    if (!p || p.status !== 'failed' || this.isRateLimited()) {
      return;
    }
    this.setPending(clientId, { status: 'sending', error: null });
    this.transmit(clientId, p.text);
  }

  discard(clientId: string): void {
    this.clearAckTimer(clientId);
    this.update({ pending: this.state.pending.filter((m) => m.clientId !== clientId) });
  }

  loadOlder(): void {
    if (!this.joined || this.state.loadingOlder || !this.state.hasOlder) {
      return;
    }
    this.historyQueue.push('before');
    this.sendFrame({ type: 'history', room: this.state.room, before: this.timeline.minSeq(), limit: HISTORY_PAGE });
    this.update({ loadingOlder: true });
  }

  notifyTyping(): void {
    const now = this.deps.now();
    if (!this.joined || now - this.lastTypingSent < TYPING_SEND_INTERVAL_MS) {
      return;
    }
    this.lastTypingSent = now;
    this.sendFrame({ type: 'typing', room: this.state.room });
  }

  /** Asks the server to change the nickname and avatar; the `profile` reply updates `me`. */
  saveProfile(nickname: string, avatar: string): boolean {
    const checked = validateNickname(nickname);
    if (!checked.ok) {
      this.update({ profileError: `nickname_${checked.reason}` });
      return false;
    }
    if (!isValidAvatar(avatar)) {
      this.update({ profileError: 'bad_request' });
      return false;
    }
    if (!this.welcomed) {
      this.update({ profileError: 'offline' });
      return false;
    }
    this.sendFrame({ type: 'profile', nickname: checked.value, avatar });
    this.update({ profileSaving: true, profileError: null });
    return true;
  }

  clearProfileError(): void {
    if (this.state.profileError !== null) {
      this.update({ profileError: null });
    }
  }

  isRateLimited(): boolean {
    const until = this.state.rateLimitedUntil;
    return until !== null && this.deps.now() < until;
  }

  private async connect(): Promise<void> {
    if (this.stopped) {
      return;
    }
    this.update({ status: this.attempt === 0 && !this.welcomed ? 'connecting' : 'reconnecting', reconnectAt: null });
    this.reconnectTimer = null;
    // The first visit has no token: the session request creates the guest and sets the cookie, so the
    // reader sees the server's generated nickname and keeps it on the next visit.
    if (!this.sessionFetched && this.deps.storage.get(TOKEN_KEY) === null) {
      let session: Session | null = null;
      try {
        session = await this.deps.fetchSession();
      } catch {
        session = null;
      }
      if (this.stopped) {
        return;
      }
      if (session !== null) {
        this.sessionFetched = true;
        this.deps.storage.set(TOKEN_KEY, session.token);
        if (this.state.me === null) {
          this.update({ me: session.user });
        }
      }
    }
    const generation = ++this.generation;
    const live = () => generation === this.generation;
    let socket: SocketLike;
    try {
      socket = this.deps.createSocket(this.deps.url, {
        open: () => {
          if (live()) {
            this.onOpen();
          }
        },
        message: (data) => {
          if (live()) {
            this.onFrame(data);
          }
        },
        close: () => {
          if (live()) {
            this.onClose();
          }
        },
      });
    } catch {
      this.onClose();
      return;
    }
    this.socket = socket;
    this.clearTimer('connectTimer');
    this.connectTimer = this.deps.setTimer(() => {
      this.connectTimer = null;
      if (live() && !this.welcomed) {
        this.onClose();
      }
    }, CONNECT_TIMEOUT_MS);
  }

  private onOpen(): void {
    this.sendFrame({ type: 'hello', token: this.deps.storage.get(TOKEN_KEY) });
  }

  private onClose(): void {
    const socket = this.socket;
    this.socket = null;
    this.generation++;
    socket?.close();
    this.clearTimer('connectTimer');
    this.joined = false;
    this.welcomed = false;
    this.historyQueue = [];
    for (const t of this.ackTimers.values()) {
      this.deps.clearTimer(t);
    }
    this.ackTimers.clear();
    this.typingUsers.clear();
    this.clearTimer('typingTimer');
    if (this.stopped) {
      return;
    }
    const delay = backoffDelay(this.attempt++, this.deps.random);
    this.reconnectTimer = this.deps.setTimer(() => void this.connect(), delay);
    this.update({
      status: 'reconnecting',
      reconnectAt: this.deps.now() + delay,
      loadingOlder: false,
      typing: [],
      profileSaving: false,
    });
  }

  private onFrame(data: unknown): void {
    const frame = parseServerFrame(data);
    if (frame === null) {
      return;
    }
    this.handle(frame);
  }

  private handle(frame: ServerFrame): void {
    const room = this.state.room;
    switch (frame.type) {
      case 'welcome': {
        this.welcomed = true;
        this.clearTimer('connectTimer');
        if (frame.token !== null) {
          this.deps.storage.set(TOKEN_KEY, frame.token);
        }
        if (this.caughtUp) {
          this.historyQueue = ['after'];
          this.sendFrame({ type: 'join', room, since: this.timeline.contiguousTop() });
        } else {
          this.historyQueue = ['latest'];
          this.sendFrame({ type: 'join', room });
        }
        this.update({ me: frame.user });
        return;
      }
      case 'joined': {
        if (frame.room !== room) {
          return;
        }
        const firstJoin = !this.joined;
        this.joined = true;
        this.attempt = 0;
        this.update({ status: 'online', online: frame.online ?? this.state.online, reconnectAt: null });
        if (firstJoin) {
          // Messages that were in flight when the connection dropped go again with their client_id:
          // the server answers a duplicate with the original ack and stores nothing new.
          for (const p of this.state.pending) {
            if (p.status === 'sending') {
              this.transmit(p.clientId, p.text);
            }
          }
        }
        return;
      }
      case 'history': {
        if (frame.room !== room) {
          return;
        }
        const kind = this.historyQueue.shift() ?? 'latest';
        this.timeline.merge(frame.messages);
        this.caughtUp ||= kind !== 'before';
        if (kind === 'after' && frame.has_more) {
          this.requestAfter();
        }
        this.publishTimeline(kind === 'before' ? { loadingOlder: false } : {});
        return;
      }
      case 'message': {
        if (frame.room !== room) {
          return;
        }
        const { type: _type, room: _room, ...message } = frame;
        const top = this.timeline.contiguousTop();
        this.timeline.merge([message]);
        this.typingUsers.delete(message.user.id);
        // A live message past a hole (possible while a catch-up is still paging) is kept; the hole is
        // filled by paging forward from the last contiguous seq unless a catch-up is already running.
        if (top !== 0 && message.seq > top + 1 && !this.historyQueue.includes('after')) {
          this.requestAfter();
        }
        this.publishTimeline({ typing: this.typingList() });
        return;
      }
      case 'ack': {
        const p = this.state.pending.find((m) => m.clientId === frame.client_id);
        this.clearAckTimer(frame.client_id);
        if (p && this.state.me && frame.room === room) {
          this.timeline.merge([{ seq: frame.seq, id: frame.id, ts: frame.ts, user: this.state.me, text: p.text }]);
        }
        this.publishTimeline({ pending: this.state.pending.filter((m) => m.clientId !== frame.client_id) });
        return;
      }
      case 'presence':
        if (frame.room === room) {
          this.update({ online: frame.online });
        }
        return;
      case 'typing': {
        if (frame.room !== room || frame.user.id === this.state.me?.id) {
          return;
        }
        this.typingUsers.set(frame.user.id, { user: frame.user, until: this.deps.now() + TYPING_SHOW_MS });
        this.scheduleTypingExpiry();
        this.update({ typing: this.typingList() });
        return;
      }
      case 'deleted':
        if (frame.room === room && this.timeline.markDeleted(frame.seq)) {
          this.publishTimeline({});
        }
        return;
      case 'profile':
        this.update({ me: frame.user, profileSaving: false, profileError: null });
        return;
      case 'error':
        this.onError(frame.code, frame.ref);
        return;
      case 'pong':
        return;
    }
  }

  private onError(code: string, ref: string | null): void {
    // Only a refused send pauses the composer: typing and profile refusals carry no ref and have
    // buckets of their own on the server.
    if (code === 'rate_limited' && ref !== null) {
      const until = this.deps.now() + RATE_LIMIT_PAUSE_MS;
      this.clearTimer('rateTimer');
      this.rateTimer = this.deps.setTimer(() => {
        this.rateTimer = null;
        this.update({ rateLimitedUntil: null });
      }, RATE_LIMIT_PAUSE_MS);
      this.update({ rateLimitedUntil: until });
    }
    if (ref !== null && this.state.pending.some((m) => m.clientId === ref)) {
      this.clearAckTimer(ref);
      this.setPending(ref, { status: 'failed', error: code });
      return;
    }
    if (ref === null && this.state.profileSaving) {
      this.update({ profileSaving: false, profileError: code });
    }
    if (ref === null && this.state.loadingOlder && code !== 'rate_limited') {
      this.historyQueue = this.historyQueue.filter((k) => k !== 'before');
      this.update({ loadingOlder: false });
    }
  }

  private transmit(clientId: string, text: string): void {
    if (!this.joined) {
      // Sent by the re-join in handle('joined').
      return;
    }
    this.sendFrame({ type: 'send', room: this.state.room, text, client_id: clientId });
    this.clearAckTimer(clientId);
    this.ackTimers.set(
      clientId,
      this.deps.setTimer(() => {
        this.ackTimers.delete(clientId);
        this.setPending(clientId, { status: 'failed', error: 'timeout' });
      }, ACK_TIMEOUT_MS),
    );
  }

  private requestAfter(): void {
    this.historyQueue.push('after');
    this.sendFrame({ type: 'history', room: this.state.room, after: this.timeline.contiguousTop(), limit: CATCH_UP_PAGE });
  }

  private sendFrame(frame: ClientFrame): void {
    try {
      this.socket?.send(JSON.stringify(frame));
    } catch {
      // A send on a closing socket: its close event follows and starts the reconnect.
    }
  }

  private publishTimeline(extra: Partial<ChatState>): void {
    const min = this.timeline.minSeq();
    this.update({ messages: this.timeline.visible(), hasOlder: min > 1, ...extra });
  }

  private setPending(clientId: string, change: Partial<PendingMessage>): void {
    this.update({
      pending: this.state.pending.map((m) => (m.clientId === clientId ? { ...m, ...change } : m)),
    });
  }

  private clearAckTimer(clientId: string): void {
    const t = this.ackTimers.get(clientId);
    if (t !== undefined) {
      this.deps.clearTimer(t);
      this.ackTimers.delete(clientId);
    }
  }

  private typingList(): User[] {
    const now = this.deps.now();
    for (const [id, t] of this.typingUsers) {
      if (t.until <= now) {
        this.typingUsers.delete(id);
      }
    }
    return [...this.typingUsers.values()].map((t) => t.user);
  }

  private scheduleTypingExpiry(): void {
    this.clearTimer('typingTimer');
    let next = Infinity;
    for (const t of this.typingUsers.values()) {
      next = Math.min(next, t.until);
    }
    if (next === Infinity) {
      return;
    }
    this.typingTimer = this.deps.setTimer(
      () => {
        this.typingTimer = null;
        this.update({ typing: this.typingList() });
        this.scheduleTypingExpiry();
      },
      Math.max(0, next - this.deps.now()),
    );
  }

  private clearTimer(name: 'reconnectTimer' | 'connectTimer' | 'rateTimer' | 'typingTimer'): void {
    if (this[name] !== null) {
      this.deps.clearTimer(this[name]);
      this[name] = null;
    }
  }

  private update(change: Partial<ChatState>): void {
    this.state = { ...this.state, ...change };
    for (const l of this.listeners) {
      l();
    }
  }
}
