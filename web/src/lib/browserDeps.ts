import type { ChatClientDeps, Session, SocketFactory } from './chatClient.ts';
import { parseUser } from './protocol.ts';
import { browserStore } from './storage.ts';

export const browserSocket: SocketFactory = (url, handlers) => {
  const ws = new WebSocket(url);
  ws.onopen = () => handlers.open();
  ws.onmessage = (e: MessageEvent) => handlers.message(e.data);
  ws.onclose = (e: CloseEvent) => handlers.close(e.code);
  // An error is always followed by close, which is where the reconnect starts.
  ws.onerror = () => undefined;
  return {
    send: (data) => ws.send(data),
    close: (code) => ws.close(code),
  };
};

export async function fetchSession(): Promise<Session | null> {
  const res = await fetch('/api/session', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json' },
    body: '{}',
  });
  if (!res.ok) {
    return null;
  }
  const body: unknown = await res.json();
  if (typeof body !== 'object' || body === null) {
    return null;
  }
  const { user, token } = body as Record<string, unknown>;
  const parsed = parseUser(user);
  return parsed && typeof token === 'string' ? { user: parsed, token } : null;
}

export function randomBytes(n: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(n));
}

function newClientId(): string {
  let s = 'c';
  for (const b of randomBytes(12)) {
    s += b.toString(16).padStart(2, '0');
  }
  return s;
}

export function browserDeps(): ChatClientDeps {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return {
    url: `${scheme}://${location.host}/ws`,
    createSocket: browserSocket,
    fetchSession,
    storage: browserStore(),
    now: () => Date.now(),
    random: () => Math.random(),
    setTimer: (fn, ms) => window.setTimeout(fn, ms),
    clearTimer: (h) => window.clearTimeout(h as number),
    newClientId,
  };
}
