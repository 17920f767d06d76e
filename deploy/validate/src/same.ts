// Compares two renderings of one overlay (kustomize 5 and Debian's kustomize 2.0.3): the same
// objects with the same content, ignoring generated name suffixes and empty metadata maps.
// Usage: node dist/same.js A.yaml B.yaml
import { isDeepStrictEqual } from "node:util";
import { asString, get, isObj, readYamlDocs, usage, type Json, type Obj } from "./lib.js";

function normalize(v: Json): Json {
  if (typeof v === "string") return v.replace(/^(chatd-[a-z-]+)-[a-z0-9]{10}$/, "$1-HASH");
  if (Array.isArray(v)) return v.map(normalize);
  if (!isObj(v)) return v;
  const out: Obj = {};
  for (const [k, x] of Object.entries(v)) {
    if ((k === "annotations" || k === "labels") && isObj(x) && Object.keys(x).length === 0) continue;
    out[k] = normalize(x);
  }
  return out;
}

function byId(path: string): Map<string, Json> {
  const m = new Map<string, Json>();
  for (const o of readYamlDocs(path).map(normalize)) {
    m.set(`${asString(get(o, "kind")) ?? "?"}/${asString(get(o, "metadata", "name")) ?? "?"}`, o);
  }
  return m;
}

function firstDifference(a: Json | undefined, b: Json | undefined, path: string): string {
  if (isObj(a) && isObj(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (!isDeepStrictEqual(a[k], b[k])) return firstDifference(a[k], b[k], `${path}.${k}`);
    }
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    for (let i = 0; i < a.length; i++) {
      if (!isDeepStrictEqual(a[i], b[i])) return firstDifference(a[i], b[i], `${path}[${i}]`);
    }
  }
  const show = (x: Json | undefined) => { const s = JSON.stringify(x) ?? "nothing"; return s.length > 120 ? `${s.slice(0, 120)}…` : s; };
  return `${path}: ${show(a)} vs ${show(b)}`;
}

const [pa, pb] = process.argv.slice(2);
if (!pa || !pb) usage("same.js A.yaml B.yaml");
const a = byId(pa);
const b = byId(pb);
const problems: string[] = [];
for (const id of new Set([...a.keys(), ...b.keys()])) {
  if (!a.has(id)) problems.push(`${id} only in ${pb}`);
  else if (!b.has(id)) problems.push(`${id} only in ${pa}`);
  else if (!isDeepStrictEqual(a.get(id), b.get(id))) problems.push(firstDifference(a.get(id), b.get(id), id));
}
for (const p of problems) console.error(`  FAIL  ${p}`);
console.log(problems.length === 0 ? `same: ${a.size} objects agree` : `same: ${problems.length} difference(s)`);
process.exit(problems.length === 0 ? 0 : 1);
