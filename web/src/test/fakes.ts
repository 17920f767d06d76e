// Fakes for the ChatClient's dependencies: a manual clock with timers, and a socket factory whose
// sockets the test opens, feeds frames into and drops. Shared by the unit and component tests.

import type { ChatClientDeps, Session, SocketHandlers, SocketLike } from '../lib/chatClient.ts';
import type { ClientFrame, ServerFrame, User } from '../lib/protocol.ts';
import { MemoryStore } from '../lib/storage.ts';

interface Timer {
  id: number;
  at: number;
  fn: () => void;
}

export class FakeClock {
  private time = 1_764_086_400_000;
  private nextId = 1;
  private timers: Timer[] = [];

  now = (): number => this.time;

  setTimer = (fn: () => void, ms: number): number => {
    const id = this.nextId++;
    this.timers.push({ id, at: this.time + Math.max(0, ms), fn });
    return id;
  };

  clearTimer = (handle: unknown): void => {
    this.timers = this.timers.filter((t) => t.id !== handle);
  };

  /** Moves time forward, running every timer that falls due, in order. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (due === undefined) {
        break;
      }
      this.timers = this.timers.filter((t) => t !== due);
      this.time = due.at;
      due.fn();
    }
    this.time = end;
  }

  pendingTimers(): number {
    return this.timers.length;
  }

  /** Delay until the earliest timer, or null when none is set. */
  nextDelay(): number | null {
    const next = Math.min(...this.timers.map((t) => t.at));
    return Number.isFinite(next) ? next - this.time : null;
  }
}

export class FakeSocket implements SocketLike {
  readonly sent: ClientFrame[] = [];
  closed = false;
  closeCode: number | undefined;

  constructor(
    readonly url: string,
    private readonly handlers: SocketHandlers,
  ) {}

  send(data: string): void {
    if (this.closed) {
      throw new Error('send on a closed socket');
    }
    this.sent.push(JSON.parse(data) as ClientFrame);
  }

  close(code?: number): void {
    this.closed = true;
    this.closeCode = code;
  }

  open(): void {
    this.handlers.open();
  }

  receive(frame: ServerFrame | Record<string, unknown>): void {
    this.handlers.message(JSON.stringify(frame));
  }

  receiveRaw(data: unknown): void {
    this.handlers.message(data);
  }

  /** The server or network ends the connection. */
  drop(code = 1006): void {
    this.closed = true;
    this.handlers.close(code);
  }

  sentOfType<T extends ClientFrame['type']>(type: T): Extract<ClientFrame, { type: T }>[] {
    return this.sent.filter((f): f is Extract<ClientFrame, { type: T }> => f.type === type);
  }

  last(): ClientFrame | undefined {
    return this.sent[this.sent.length - 1];
  }
}

export interface Harness {
  deps: ChatClientDeps;
  clock: FakeClock;
  sockets: FakeSocket[];
  storage: MemoryStore;
  sessionCalls: number;
  socket(): FakeSocket;
}

export const alice: User = { id: 'u_alice', nickname: 'Quiet Fox 42', avatar: 'ring:alice1' };
export const bob: User = { id: 'u_bob', nickname: '밝은 곰 7', avatar: 'beam:bob22' };

export function harness(options: { session?: Session | null; random?: number } = {}): Harness {
  const clock = new FakeClock();
  const storage = new MemoryStore();
  const sockets: FakeSocket[] = [];
  let ids = 0;
  const h: Harness = {
    clock,
    sockets,
    storage,
    sessionCalls: 0,
    socket() {
      const s = sockets[sockets.length - 1];
      if (s === undefined) {
        throw new Error('no socket was created');
      }
      return s;
    },
    deps: {
      url: 'ws://chat.test/ws',
      createSocket: (url, handlers) => {
        const s = new FakeSocket(url, handlers);
        sockets.push(s);
        return s;
      },
      fetchSession: () => {
        h.sessionCalls++;
        return Promise.resolve(options.session === undefined ? { user: alice, token: 'tok-session' } : options.session);
      },
      storage,
      now: clock.now,
      random: () => options.random ?? 0.5,
      setTimer: clock.setTimer,
      clearTimer: clock.clearTimer,
      newClientId: () => `c${++ids}`,
    },
  };
  return h;
}

/** Lets pending promise callbacks (the session request) run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) {
    await Promise.resolve();
  }
}

export function msg(seq: number, user: User = bob, text = `message ${seq}`, ts = 1_764_086_000_000 + seq * 1000) {
  return { seq, id: `m${seq}`, user, text, ts };
}
