// Key-value storage that never throws. Chromium blocks localStorage in cross-site iframes (and
// Safari's private mode throws on write), so every access is wrapped and falls back to memory: a
// storage error costs the guest their saved identity, never the UI.

export interface KeyValueStore {
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove(key: string): void;
}

export class MemoryStore implements KeyValueStore {
  private readonly values = new Map<string, string>();
  get(key: string): string | null {
    return this.values.get(key) ?? null;
  }
  set(key: string, value: string): void {
    this.values.set(key, value);
  }
  remove(key: string): void {
    this.values.delete(key);
  }
}

/** Uses `getStorage()` while it works and keeps a memory copy that answers once it fails. */
export class SafeStore implements KeyValueStore {
  private readonly memory = new MemoryStore();
  constructor(private readonly getStorage: () => Storage | null) {}

  private storage(): Storage | null {
    try {
      return this.getStorage();
    } catch {
      return null;
    }
  }

  get(key: string): string | null {
    const remembered = this.memory.get(key);
    if (remembered !== null) {
      return remembered;
    }
    try {
      return this.storage()?.getItem(key) ?? null;
    } catch {
      return null;
    }
  }

  set(key: string, value: string): void {
    this.memory.set(key, value);
    try {
      this.storage()?.setItem(key, value);
    } catch {
      // Blocked or full: the memory copy keeps this visit working.
    }
  }

  remove(key: string): void {
    this.memory.remove(key);
    try {
      this.storage()?.removeItem(key);
    } catch {
      // As in set().
    }
  }
}

export function browserStore(): KeyValueStore {
  return new SafeStore(() => (typeof window === 'undefined' ? null : window.localStorage));
}

export const TOKEN_KEY = 'chatd_token';
