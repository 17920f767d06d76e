// Copies deploy/ to DEST with every kustomization's directory entries under `resources` moved to
// `bases`: the one change `kustomize edit` (run by the release workflow) makes that kustomize
// 2.0.3 cannot read. Everything else in the manifests is already in the older syntax.
// Usage: node dist/oldsyntax.js DEPLOY_DIR DEST
import { cpSync, readdirSync, readFileSync, statSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { parseDocument } from "yaml";
import { usage } from "./lib.js";

function* kustomizations(dir: string): Generator<string> {
  for (const entry of readdirSync(dir)) {
    if (entry === "node_modules" || entry === "validate") continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) yield* kustomizations(path);
    else if (entry === "kustomization.yaml") yield path;
  }
}

const [src, dest] = process.argv.slice(2);
if (!src || !dest) usage("oldsyntax.js DEPLOY_DIR DEST");
cpSync(src, dest, { recursive: true, filter: (p) => !p.includes("node_modules") && !p.endsWith("/validate") });
let moved = 0;
for (const file of kustomizations(dest)) {
  const dir = join(file, "..");
  const doc = parseDocument(readFileSync(file, "utf8"));
  const resources = (doc.get("resources") as { items?: { value?: unknown }[] } | undefined)?.items ?? [];
  const dirs: string[] = [];
  const files: string[] = [];
  for (const item of resources) {
    const value = String((item as { value?: unknown }).value ?? item);
    if (existsSync(join(dir, value)) && statSync(join(dir, value)).isDirectory()) dirs.push(value);
    else files.push(value);
  }
  if (dirs.length === 0) continue;
  const bases = ((doc.get("bases") as { items?: { value?: unknown }[] } | undefined)?.items ?? []).map((i) => String(i.value ?? i));
  doc.set("bases", [...bases, ...dirs]);
  if (files.length > 0) doc.set("resources", files);
  else doc.delete("resources");
  writeFileSync(file, doc.toString());
  moved += dirs.length;
}
console.log(`oldsyntax: ${moved} directory entries moved from resources to bases`);
