// Just enough PromQL lexing to list the metric names an expression reads. promtool parses the
// expressions for real (scripts/test/deploy.sh); this only has to find the names.

const keywords = new Set([
  "by", "without", "on", "ignoring", "group_left", "group_right", "offset", "bool", "and", "or",
  "unless", "atan2", "inf", "nan", "start", "end",
]);

/** Replaces Grafana's template variables with values Prometheus accepts. */
export function expandGrafanaVariables(expr: string): string {
  return expr
    .replace(/\$__rate_interval|\$__interval|\$__range|\$\{__rate_interval\}|\$\{__interval\}|\$\{__range\}/g, "5m")
    .replace(/\$\{?[A-Za-z_][A-Za-z0-9_]*(:[a-z]+)?\}?/g, ".*");
}

export function metricNames(expr: string): string[] {
  let s = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\{[^}]*\}/g, " ")
    .replace(/\[[^\]]*\]/g, " ")
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, " ");
  s = s.replace(/#[^\n]*/g, " ");
  const names = new Set<string>();
  const re = /[A-Za-z_:][A-Za-z0-9_:]*/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) {
    const word = m[0];
    const before = s.slice(0, m.index);
    if (/[0-9.]$/.test(before)) continue; // the unit of a number or duration, e.g. 5m, 1e9
    const after = s.slice(m.index + word.length);
    if (/^\s*\(/.test(after)) continue; // a function or aggregation
    if (keywords.has(word.toLowerCase())) continue;
    names.add(word);
  }
  return [...names].sort();
}
