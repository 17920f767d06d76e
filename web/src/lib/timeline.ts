import type { LiveMessage, StoredMessage } from './protocol.ts';

/** A room's messages keyed by seq: merging is idempotent, so catch-up, live frames and acks may
 *  overlap in any order without duplicates. */
export class Timeline {
  private readonly bySeq = new Map<number, StoredMessage>();
  private cache: readonly LiveMessage[] | null = [];

  get size(): number {
    return this.bySeq.size;
  }

  /** Adds or replaces messages; returns whether anything visible changed. A tombstone wins over a
   *  live message with the same seq (deletion is final). */
  merge(messages: readonly StoredMessage[]): boolean {
    let changed = false;
    for (const m of messages) {
      const old = this.bySeq.get(m.seq);
      if (old?.deleted) {
        continue;
      }
      if (old && !m.deleted && old.id === m.id && old.text === m.text && sameUser(old, m)) {
        continue;
      }
      this.bySeq.set(m.seq, m);
      changed = true;
    }
    if (changed) {
      this.cache = null;
    }
    return changed;
  }

  markDeleted(seq: number): boolean {
    const old = this.bySeq.get(seq);
    if (old?.deleted) {
      return false;
    }
    this.bySeq.set(seq, { seq, id: old?.id ?? '', ts: old?.ts ?? 0, deleted: true });
    this.cache = null;
    return old !== undefined;
  }

  has(seq: number): boolean {
    return this.bySeq.has(seq);
  }

  /** The lowest seq held, or 0 when empty. */
  minSeq(): number {
    let min = 0;
    for (const seq of this.bySeq.keys()) {
      if (min === 0 || seq < min) {
        min = seq;
      }
    }
    return min;
  }

  /** The highest seq held, or 0 when empty. */
  maxSeq(): number {
    let max = 0;
    for (const seq of this.bySeq.keys()) {
      max = Math.max(max, seq);
    }
    return max;
  }

  /** The highest seq s such that every seq from minSeq() to s is held: the safe `since` for a
   *  re-join, since seqs have no gaps and a gap here means we have not seen something yet. */
  contiguousTop(): number {
    let s = this.minSeq();
    if (s === 0) {
      return 0;
    }
    while (this.bySeq.has(s + 1)) {
      s++;
    }
    return s;
  }

  /** Live messages in seq order (tombstones are left out: deleted messages disappear). */
  visible(): readonly LiveMessage[] {
    if (this.cache === null) {
      const list: LiveMessage[] = [];
      for (const m of this.bySeq.values()) {
        if (!m.deleted) {
          list.push(m);
        }
      }
      list.sort((a, b) => a.seq - b.seq);
      this.cache = list;
    }
    return this.cache;
  }
}

function sameUser(a: LiveMessage, b: LiveMessage): boolean {
  return a.user.id === b.user.id && a.user.nickname === b.user.nickname && a.user.avatar === b.user.avatar;
}
