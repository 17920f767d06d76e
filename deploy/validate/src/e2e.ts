// Asks a running Prometheus that scrapes real chatd replicas whether everything the dashboard and
// the rules read is there. Usage:
//   node dist/e2e.js --prometheus URL --names FILE --dashboard-rules FILE --targets N [--timeout S]
import { readFileSync } from "node:fs";
import { Findings, asArray, asString, get, readYamlDocs, usage, type Json } from "./lib.js";

async function api(base: string, path: string): Promise<Json> {
  const res = await fetch(`${base}${path}`, { signal: AbortSignal.timeout(5000) });
  const body = (await res.json()) as Json;
  if (get(body, "status") !== "success") {
    throw new Error(`${path}: ${asString(get(body, "error")) ?? `HTTP ${res.status}`}`);
  }
  return get(body, "data") ?? null;
}

/** An instant query's result vector. */
async function query(base: string, q: string): Promise<Json[]> {
  return asArray(get(await api(base, `/api/v1/query?query=${encodeURIComponent(q)}`), "result"));
}

async function waitFor(what: string, timeoutMs: number, probe: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  for (;;) {
    try {
      if (await probe()) return;
    } catch (e) {
      last = (e as Error).message;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? ` (${last})` : ""}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const opt = (name: string): string | undefined => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const base = opt("--prometheus");
  const namesFile = opt("--names");
  const dashRules = opt("--dashboard-rules");
  const targets = Number(opt("--targets") ?? "1");
  const timeoutMs = Number(opt("--timeout") ?? "90") * 1000;
  if (!base || !namesFile || !dashRules) usage("e2e.js --prometheus URL --names FILE --dashboard-rules FILE --targets N");
  const f = new Findings();

  await waitFor(`${targets} chatd targets up`, timeoutMs, async () => {
    const r = (await query(base, 'up{job="chatd"} == 1'));
    return r.length === targets;
  });
  // Two scrapes per target so rate() has something to work on, and one evaluation of every group.
  await waitFor("two scrapes and a rule evaluation", timeoutMs, async () => {
    const r = (await query(base, 'count_over_time(chatd_ready{job="chatd"}[1m]) >= 3'));
    const groups = asArray(get(await api(base, "/api/v1/rules"), "groups"));
    return r.length === targets && groups.length > 0 && groups.every((g) => asString(get(g, "lastEvaluation"))?.startsWith("0001") === false);
  });

  const names = readFileSync(namesFile, "utf8").split("\n").filter((x) => x !== "");
  for (const name of names) {
    const matcher = name === "up" ? 'up{job="chatd"}' : `${name}{job="chatd"}`;
    const series = asArray(await api(base, `/api/v1/series?match[]=${encodeURIComponent(matcher)}`));
    f.check(series.length > 0, `metric ${name}`, "not exposed by chatd (the dashboard or the rules read it)");
  }

  const groups = asArray(get(await api(base, "/api/v1/rules"), "groups"));
  let ruleCount = 0;
  for (const g of groups) {
    for (const r of asArray(get(g, "rules"))) {
      ruleCount++;
      const name = asString(get(r, "name")) ?? "?";
      f.check(get(r, "health") === "ok", `rule ${name}`, `health ${asString(get(r, "health")) ?? "?"}: ${asString(get(r, "lastError")) ?? ""}`);
      if (get(r, "type") === "alerting") {
        f.check(get(r, "state") === "inactive", `alert ${name}`, `is ${asString(get(r, "state")) ?? "?"} although every replica is healthy`);
      }
    }
  }
  f.check(ruleCount > 0, "rules", "Prometheus loaded no rules");

  let exprCount = 0;
  for (const g of asArray(get(readYamlDocs(dashRules)[0], "groups"))) {
    for (const r of asArray(get(g, "rules"))) {
      const expr = asString(get(r, "expr")) ?? "";
      exprCount++;
      try {
        await query(base, expr);
      } catch (e) {
        f.fail(`dashboard expression ${expr}`, (e as Error).message);
      }
    }
  }
  const ready = (await query(base, 'sum(chatd_ready{job="chatd"})'));
  f.check(Number(get(ready, 0, "value", 1)) === targets, "chatd_ready", `sum is ${JSON.stringify(get(ready, 0, "value", 1))}, expected ${targets}`);

  return f.report("prometheus end-to-end", `${targets} targets, ${names.length} metric names, ${ruleCount} rules, ${exprCount} dashboard expressions`);
}

main().then((code) => process.exit(code), (e: Error) => {
  console.error(`prometheus end-to-end: ${e.message}`);
  process.exit(1);
});
