// Checks the alert rules and the Grafana dashboard against docs/metrics.md, writes a typed module
// of the dashboard for `tsc --strict` (against @grafana/schema), a rule file that makes promtool
// parse every dashboard expression, and the list of metric names the end-to-end scrape must find.
// Usage:
//   node dist/monitoring.js --rules R.yml --dashboard D.json --docs metrics.md
//        --generated DIR --promql-out FILE --names-out FILE
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { Findings, asArray, asString, get, isObj, readYamlDocs, usage, type Json } from "./lib.js";
import { expandGrafanaVariables, metricNames } from "./promql.js";

/** Metric names and types from the table in docs/metrics.md. */
export function documentedMetrics(markdown: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of markdown.split("\n")) {
    const m = /^\|\s*`([a-z_:][a-z0-9_:]*)`\s*\|\s*([a-z]+)/.exec(line);
    if (m && m[1] && m[2]) out.set(m[1], m[2]);
  }
  return out;
}

/** The documented family a sample name belongs to (histograms expose _bucket, _sum, _count). */
function family(name: string, docs: Map<string, string>): string | undefined {
  if (docs.has(name)) return name;
  const m = /^(.*)_(bucket|sum|count)$/.exec(name);
  if (m && m[1] && docs.get(m[1]) === "histogram") return m[1];
  return undefined;
}

interface Expr {
  where: string;
  expr: string;
}

function panelsOf(dash: Json): Json[] {
  const out: Json[] = [];
  for (const p of asArray(get(dash, "panels"))) {
    out.push(p);
    out.push(...asArray(get(p, "panels")));
  }
  return out;
}

function main(): number {
  const args = process.argv.slice(2);
  const opt = (name: string): string => {
    const i = args.indexOf(name);
    const v = i >= 0 ? args[i + 1] : undefined;
    if (v === undefined) usage("monitoring.js --rules R --dashboard D --docs M --generated DIR --promql-out F --names-out F");
    return v;
  };
  const rulesPath = opt("--rules");
  const dashPath = opt("--dashboard");
  const docs = documentedMetrics(readFileSync(opt("--docs"), "utf8"));
  const generated = opt("--generated");
  const f = new Findings();
  f.check(docs.size >= 10, "docs", `found only ${docs.size} metrics in the metrics table`);

  const exprs: Expr[] = [];
  const recorded = new Set<string>();
  const alerts: string[] = [];
  const rules = readYamlDocs(rulesPath)[0];
  for (const g of asArray(get(rules, "groups"))) {
    for (const r of asArray(get(g, "rules"))) {
      const record = asString(get(r, "record"));
      const alert = asString(get(r, "alert"));
      const expr = asString(get(r, "expr")) ?? "";
      if (record) recorded.add(record);
      if (alert) {
        alerts.push(alert);
        const ann = get(r, "annotations");
        for (const key of ["summary", "description", "runbook"]) {
          f.check((asString(get(ann, key)) ?? "").length > 20, `rule ${alert}`, `no ${key} annotation worth the name`);
        }
        f.check(["critical", "warning"].includes(asString(get(r, "labels", "severity")) ?? ""), `rule ${alert}`, "severity is not critical or warning");
      }
      exprs.push({ where: `rule ${record ?? alert ?? "?"}`, expr });
    }
  }

  const dashText = readFileSync(dashPath, "utf8");
  const dash = JSON.parse(dashText) as Json;
  const panelTitles = new Set<string>();
  let panelCount = 0;
  for (const p of panelsOf(dash)) {
    const title = asString(get(p, "title")) ?? "?";
    if (get(p, "type") === "row") continue;
    panelCount++;
    f.check(!panelTitles.has(title), `panel ${title}`, "duplicate title");
    panelTitles.add(title);
    f.check(get(p, "datasource", "uid") === "${datasource}", `panel ${title}`, "does not use the datasource variable");
    const targets = asArray(get(p, "targets"));
    f.check(targets.length > 0, `panel ${title}`, "no queries");
    for (const t of targets) {
      const expr = asString(get(t, "expr"));
      f.check(expr !== undefined && expr.trim() !== "", `panel ${title}`, "a query without expr");
      if (expr) exprs.push({ where: `panel ${title}`, expr: expandGrafanaVariables(expr) });
    }
  }
  for (const v of asArray(get(dash, "templating", "list"))) {
    const q = get(v, "query");
    const expr = asString(isObj(q) ? get(q, "query") : q);
    const m = expr ? /^label_values\((.*),\s*[a-z_]+\)$/.exec(expr) : null;
    if (m && m[1]) exprs.push({ where: `variable ${asString(get(v, "name")) ?? "?"}`, expr: m[1] });
  }

  // The panels the issue asks for, by the metric each must show.
  const required = [
    "chatd_connections_open", "chatd_messages_received_total", "chatd_messages_delivered_total",
    "chatd_fanout_latency_seconds_bucket", "chatd_db_query_duration_seconds_bucket", "chatd_queue_drops_total",
    "chatd_rate_limited_total", "chatd_errors_total", "process_cpu_seconds_total", "process_resident_memory_bytes",
    "process_open_fds", "up",
  ];
  const dashNames = new Set(exprs.filter((e) => e.where.startsWith("panel")).flatMap((e) => metricNames(e.expr)));
  for (const r of required) f.check(dashNames.has(r), "dashboard", `no panel reads ${r}`);
  const requiredAlerts = [
    "ChatdInstanceDown", "ChatdNoReadyReplicas", "ChatdErrorRatioHigh", "ChatdFanoutLatencyHigh",
    "ChatdDatabaseLatencyHigh", "ChatdSlowConsumerDrops", "ChatdConnectionSaturation",
  ];
  for (const a of requiredAlerts) f.check(alerts.includes(a), "rules", `no alert ${a}`);

  const used = new Set<string>();
  for (const { where, expr } of exprs) {
    for (const name of metricNames(expr)) {
      if (recorded.has(name)) continue;
      if (name.includes(":")) {
        f.fail(where, `reads recording rule ${name}, which no rule defines`);
        continue;
      }
      if (name === "up") {
        used.add(name);
        continue;
      }
      f.check(family(name, docs) !== undefined, where, `metric ${name} is not in docs/metrics.md`);
      used.add(name);
    }
  }

  // promtool parses every dashboard expression as a recording rule.
  const promqlRules = {
    groups: [{
      name: "dashboard-expressions",
      rules: exprs.filter((e) => !e.where.startsWith("rule")).map((e, i) => ({ record: `dashboard:expr_${i}`, expr: e.expr })),
    }],
  };
  writeFileSync(opt("--promql-out"), stringify(promqlRules, { lineWidth: 0 }));
  writeFileSync(opt("--names-out"), [...used].sort().join("\n") + "\n");

  mkdirSync(generated, { recursive: true });
  writeFileSync(join(generated, "dashboard.ts"),
    [
      `import type { Dashboard } from "@grafana/schema";`,
      // JSON holds an enum's value, never the enum: accept each string enum's literal values.
      "type Json<T> = T extends string ? T | `${T}` : T extends (infer U)[] ? Json<U>[] : T extends object ? { [K in keyof T]: Json<T[K]> } : T;",
      `export const dashboard: Json<Dashboard> = ${JSON.stringify(dash, null, 2)};`,
      "",
    ].join("\n"));

  return f.report("monitoring", `${alerts.length} alerts, ${recorded.size} recording rules, ${panelCount} panels, ${exprs.length} expressions, ${used.size} metric names`);
}

process.exit(main());
