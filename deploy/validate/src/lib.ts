import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Obj = { [key: string]: Json };

export function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Every YAML document of a file, as plain data; a syntax error stops with the file name. */
export function readYamlDocs(path: string, options: { merge?: boolean } = {}): Json[] {
  const text = readFileSync(path, "utf8");
  const docs = parseAllDocuments(text, { uniqueKeys: true, merge: options.merge ?? false });
  const out: Json[] = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      throw new Error(`${path}: ${doc.errors.map((e) => e.message).join("; ")}`);
    }
    const value = doc.toJS({ maxAliasCount: 100 }) as Json;
    if (value !== null && value !== undefined) out.push(value);
  }
  return out;
}

/** Follows a path of keys and indexes; undefined where it leads nowhere. */
export function get(v: Json | undefined, ...path: (string | number)[]): Json | undefined {
  let cur: Json | undefined = v;
  for (const key of path) {
    if (typeof key === "number") {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[key];
    } else {
      if (!isObj(cur)) return undefined;
      cur = cur[key];
    }
  }
  return cur;
}

export function asArray(v: Json | undefined): Json[] {
  return Array.isArray(v) ? v : [];
}

export function asString(v: Json | undefined): string | undefined {
  return typeof v === "string" ? v : undefined;
}

/** Collects failures so one run reports all of them. */
export class Findings {
  readonly errors: string[] = [];
  readonly notes: string[] = [];
  fail(where: string, message: string): void {
    this.errors.push(`${where}: ${message}`);
  }
  note(where: string, message: string): void {
    this.notes.push(`${where}: ${message}`);
  }
  check(ok: boolean, where: string, message: string): void {
    if (!ok) this.fail(where, message);
  }
  /** Prints everything and returns the process exit code. */
  report(title: string, checked: string): number {
    for (const n of this.notes) console.log(`  note  ${n}`);
    for (const e of this.errors) console.error(`  FAIL  ${e}`);
    if (this.errors.length > 0) {
      console.error(`${title}: ${this.errors.length} problem(s) in ${checked}`);
      return 1;
    }
    console.log(`${title}: ok (${checked})`);
    return 0;
  }
}

export function usage(text: string): never {
  console.error(`usage: ${text}`);
  process.exit(2);
}
