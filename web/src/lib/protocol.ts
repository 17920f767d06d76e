// The chatd wire protocol (docs/protocol.md) as types, shared by the socket client and the tests.
// Every server frame goes through parseServerFrame: a frame that does not match is dropped, so a
// buggy or hostile server can never put a wrong-typed value into the UI state.

export interface User {
  id: string;
  nickname: string;
  avatar: string;
}

export interface LiveMessage {
  seq: number;
  id: string;
  user: User;
  text: string;
  ts: number;
  deleted?: false;
}

export interface Tombstone {
  seq: number;
  id: string;
  ts: number;
  deleted: true;
}

export type StoredMessage = LiveMessage | Tombstone;

export type ClientFrame =
  | { type: 'hello'; token: string | null }
  | { type: 'join'; room: string; since?: number }
  | { type: 'leave'; room: string }
  | { type: 'send'; room: string; text: string; client_id: string }
  | { type: 'history'; room: string; before: number; limit: number }
  | { type: 'history'; room: string; after: number; limit: number }
  | { type: 'typing'; room: string }
  | { type: 'profile'; nickname: string; avatar: string }
  | { type: 'ping' };

export type ErrorCode =
  | 'bad_request'
  | 'too_large'
  | 'rate_limited'
  | 'not_joined'
  | 'unauthorized'
  | 'unavailable';

export type ServerFrame =
  | { type: 'welcome'; user: User; token: string | null }
  | { type: 'joined'; room: string; last_seq: number; online: number | null }
  | { type: 'history'; room: string; messages: StoredMessage[]; has_more: boolean }
  | { type: 'ack'; client_id: string; room: string; seq: number; id: string; ts: number }
  | ({ type: 'message'; room: string } & Omit<LiveMessage, 'deleted'>)
  | { type: 'presence'; room: string; online: number }
  | { type: 'typing'; room: string; user: User }
  | { type: 'deleted'; room: string; seq: number }
  | { type: 'profile'; user: User }
  | { type: 'error'; code: ErrorCode | (string & {}); message: string; ref: string | null }
  | { type: 'pong' };

/** Longest message text, in code points, after trimming (the server's limit). */
export const MAX_TEXT_CODE_POINTS = 2000;
/** Longest nickname, in code points, after trimming. */
export const MAX_NICKNAME_CODE_POINTS = 32;
/** Largest room id in UTF-8 bytes. */
export const MAX_ROOM_BYTES = 200;
/** Page size for history requests; the server allows 1..100. */
export const HISTORY_PAGE = 50;

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function isString(v: unknown): v is string {
  return typeof v === 'string';
}
function isSeq(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}
function isTs(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

export function parseUser(v: unknown): User | null {
  if (!isObject(v) || !isString(v.id) || !isString(v.nickname) || !isString(v.avatar)) {
    return null;
  }
  return { id: v.id, nickname: v.nickname, avatar: v.avatar };
}

function parseStored(v: unknown): StoredMessage | null {
  if (!isObject(v) || !isSeq(v.seq) || !isString(v.id) || !isTs(v.ts)) {
    return null;
  }
  if (v.deleted === true) {
    return { seq: v.seq, id: v.id, ts: v.ts, deleted: true };
  }
  const user = parseUser(v.user);
  if (user === null || !isString(v.text)) {
    return null;
  }
  return { seq: v.seq, id: v.id, ts: v.ts, user, text: v.text };
}

/** Parses one text frame; returns null for anything that is not a well-formed server frame. */
export function parseServerFrame(raw: unknown): ServerFrame | null {
  if (!isString(raw)) {
    return null;
  }
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return null;
  }
  if (!isObject(v) || !isString(v.type)) {
    return null;
  }
  switch (v.type) {
    case 'welcome': {
      const user = parseUser(v.user);
      // A welcome without a token still identifies the guest (by cookie); only joining matters here.
      return user ? { type: 'welcome', user, token: isString(v.token) ? v.token : null } : null;
    }
    case 'joined':
      return isString(v.room)
        ? {
            type: 'joined',
            room: v.room,
            last_seq: isSeq(v.last_seq) ? v.last_seq : 0,
            online: isSeq(v.online) ? v.online : null,
          }
        : null;
    case 'history': {
      if (!isString(v.room) || !Array.isArray(v.messages)) {
        return null;
      }
      const messages: StoredMessage[] = [];
      for (const m of v.messages) {
        const parsed = parseStored(m);
        if (parsed === null) {
          return null;
        }
        messages.push(parsed);
      }
      return { type: 'history', room: v.room, messages, has_more: v.has_more === true };
    }
    case 'ack':
      return isString(v.client_id) && isString(v.room) && isSeq(v.seq) && isString(v.id) && isTs(v.ts)
        ? { type: 'ack', client_id: v.client_id, room: v.room, seq: v.seq, id: v.id, ts: v.ts }
        : null;
    case 'message': {
      const m = parseStored(v);
      return m && !m.deleted && isString(v.room) ? { type: 'message', room: v.room, ...m } : null;
    }
    case 'presence':
      return isString(v.room) && isSeq(v.online) ? { type: 'presence', room: v.room, online: v.online } : null;
    case 'typing': {
      const user = parseUser(v.user);
      return user && isString(v.room) ? { type: 'typing', room: v.room, user } : null;
    }
    case 'deleted':
      return isString(v.room) && isSeq(v.seq) ? { type: 'deleted', room: v.room, seq: v.seq } : null;
    case 'profile': {
      const user = parseUser(v.user);
      return user ? { type: 'profile', user } : null;
    }
    case 'error':
      return isString(v.code)
        ? {
            type: 'error',
            code: v.code,
            message: isString(v.message) ? v.message : '',
            ref: isString(v.ref) ? v.ref : null,
          }
        : null;
    case 'pong':
      return { type: 'pong' };
    default:
      return null;
  }
}

export function codePointLength(s: string): number {
  let n = 0;
  for (const _ of s) {
    n++;
  }
  return n;
}

// Control characters (C0, DEL, C1); the server refuses them in nicknames and room ids.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;

/** The server's nickname rule: 1..32 code points after trimming, no control characters. */
export function validateNickname(raw: string): { ok: true; value: string } | { ok: false; reason: 'empty' | 'long' | 'control' } {
  const value = raw.trim();
  if (value.length === 0) {
    return { ok: false, reason: 'empty' };
  }
  if (codePointLength(value) > MAX_NICKNAME_CODE_POINTS) {
    return { ok: false, reason: 'long' };
  }
  if (CONTROL.test(value)) {
    return { ok: false, reason: 'control' };
  }
  return { ok: true, value };
}

// Without the u flag a regex sees UTF-16 code units, so it can find a surrogate without its partner.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?:^|[^\ud800-\udbff])[\udc00-\udfff]/;

/** A room id: 1..200 bytes of UTF-8, no control characters, no whitespace. */
export function isValidRoom(room: string): boolean {
  if (room.length === 0 || CONTROL.test(room) || /\s/u.test(room)) {
    return false;
  }
  // Lone surrogates cannot be encoded as UTF-8, so the server would refuse them.
  if (LONE_SURROGATE.test(room)) {
    return false;
  }
  return new TextEncoder().encode(room).length <= MAX_ROOM_BYTES;
}

const AVATAR = /^[a-z0-9-]{1,16}:[A-Za-z0-9_-]{1,64}$/;

export function isValidAvatar(avatar: string): boolean {
  return AVATAR.test(avatar);
}

const CLIENT_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function isValidClientId(id: string): boolean {
  return CLIENT_ID.test(id);
}
