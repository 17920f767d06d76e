// Unit tests of the validators' helpers (node --test, against the compiled dist/).
import { test } from "node:test";
import assert from "node:assert/strict";
import { metricNames, expandGrafanaVariables } from "../dist/promql.js";
import { imagePinned, modelRef } from "../dist/models.js";

test("metricNames skips functions, grouping labels, durations and label values", () => {
  assert.deepEqual(
    metricNames('histogram_quantile(0.99, sum by (le, operation) (rate(chatd_db_query_duration_seconds_bucket{job="chatd",operation=~"insert|history"}[5m])))'),
    ["chatd_db_query_duration_seconds_bucket"],
  );
  assert.deepEqual(metricNames("sum(rate(a_total[1m])) / ignoring(code) group_left b_total offset 5m > 0.5"), ["a_total", "b_total"]);
  assert.deepEqual(metricNames('(sum(chatd_ready{job="chatd"}) or vector(0)) < 1'), ["chatd_ready"]);
  assert.deepEqual(metricNames("chatd:fanout_latency_seconds:p99_5m > 0.25"), ["chatd:fanout_latency_seconds:p99_5m"]);
  assert.deepEqual(metricNames("max by (instance) (process_open_fds / process_max_fds) > 1e3"), ["process_max_fds", "process_open_fds"]);
});

test("expandGrafanaVariables makes dashboard queries plain PromQL", () => {
  assert.equal(
    expandGrafanaVariables('rate(x_total{pod=~"$pod"}[$__rate_interval])'),
    'rate(x_total{pod=~".*"}[5m])',
  );
  assert.equal(expandGrafanaVariables('x{pod=~"${pod:regex}"}'), 'x{pod=~".*"}');
});

test("imagePinned wants a version tag or a digest", () => {
  assert.equal(imagePinned("chatd"), false);
  assert.equal(imagePinned("chatd:latest"), false);
  assert.equal(imagePinned("registry.example:5000/chatd"), false);
  assert.equal(imagePinned("registry.example:5000/chatd:0.1.0"), true);
  assert.equal(imagePinned("postgres:15.10-bookworm"), true);
  assert.equal(imagePinned(`chatd@sha256:${"a".repeat(64)}`), true);
});

test("modelRef maps API groups to their model packages", () => {
  assert.equal(modelRef("apps/v1", "Deployment")?.module, "kubernetes-models/apps/v1/Deployment");
  assert.equal(modelRef("v1", "Service")?.module, "kubernetes-models/v1/Service");
  assert.equal(modelRef("monitoring.coreos.com/v1", "ServiceMonitor")?.module, "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor");
  assert.equal(modelRef("example.com/v1", "Widget"), undefined);
});
