// Validates rendered Kubernetes manifests: every object against its npm model's schema
// (validate()), a TypeScript module per input for `tsc --strict` excess-property checks, and the
// project's own rules. Usage:
//   node dist/k8s.js --generated DIR [--argocd DIR] [--overlays DIR] [--adapter-values FILE] NAME=RENDERED.yaml...
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Findings, asArray, asString, get, isObj, readYamlDocs, usage, type Json, type Obj } from "./lib.js";
import { imagePinned, kindsWithoutSchema, modelRef, typedModule, validateWithModel, type ModelRef } from "./models.js";

const workloadKinds = new Set(["Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"]);
const clusterScopedKinds = new Set(["Namespace", "ClusterIssuer", "ClusterSecretStore", "ClusterRole", "ClusterRoleBinding"]);
const requiredKinds = [
  "Namespace", "ServiceAccount", "ConfigMap", "Deployment", "Service", "Ingress",
  "HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy", "ServiceMonitor", "PrometheusRule",
];

function nameOf(o: Obj): string {
  return `${asString(o.kind) ?? "?"}/${asString(get(o, "metadata", "name")) ?? "?"}`;
}

function syncWave(o: Obj): number {
  const w = asString(get(o, "metadata", "annotations", "argocd.argoproj.io/sync-wave"));
  return w === undefined ? 0 : Number(w);
}

function podSpecOf(o: Obj): Obj | undefined {
  const spec = o.kind === "CronJob" ? get(o, "spec", "jobTemplate", "spec", "template", "spec") : get(o, "spec", "template", "spec");
  return isObj(spec) ? spec : undefined;
}

function checkContainers(f: Findings, where: string, o: Obj): void {
  const pod = podSpecOf(o);
  if (!pod) {
    f.fail(where, "no pod template");
    return;
  }
  const podSc = get(pod, "securityContext");
  const podNonRoot = get(podSc, "runAsNonRoot") === true;
  const podSeccomp = get(podSc, "seccompProfile", "type") === "RuntimeDefault";
  const containers = [...asArray(get(pod, "initContainers")), ...asArray(get(pod, "containers"))];
  f.check(containers.length > 0, where, "no containers");
  for (const c of containers) {
    const cn = `${where} container ${asString(get(c, "name")) ?? "?"}`;
    const image = asString(get(c, "image")) ?? "";
    f.check(imagePinned(image), cn, `image "${image}" is not pinned to a tag or digest`);
    for (const r of ["cpu", "memory"]) {
      f.check(get(c, "resources", "limits", r) !== undefined, cn, `no ${r} limit`);
      f.check(get(c, "resources", "requests", r) !== undefined, cn, `no ${r} request`);
    }
    f.check(isObj(get(c, "readinessProbe")), cn, "no readinessProbe");
    f.check(isObj(get(c, "livenessProbe")), cn, "no livenessProbe");
    const sc = get(c, "securityContext");
    f.check(podNonRoot || get(sc, "runAsNonRoot") === true, cn, "runAsNonRoot is not true");
    f.check(get(sc, "runAsUser") !== 0 && get(podSc, "runAsUser") !== 0, cn, "runs as UID 0");
    f.check(get(sc, "readOnlyRootFilesystem") === true, cn, "readOnlyRootFilesystem is not true");
    f.check(get(sc, "allowPrivilegeEscalation") === false, cn, "allowPrivilegeEscalation is not false");
    f.check(get(sc, "privileged") !== true, cn, "privileged");
    f.check(asArray(get(sc, "capabilities", "drop")).includes("ALL"), cn, "capabilities are not dropped (drop: [ALL])");
    f.check(podSeccomp || get(sc, "seccompProfile", "type") === "RuntimeDefault", cn, "seccompProfile is not RuntimeDefault");
  }
}

function configOf(objs: Obj[]): Record<string, string> {
  const cm = objs.find((o) => o.kind === "ConfigMap" && (asString(get(o, "metadata", "name")) ?? "").startsWith("chatd-config"));
  const out: Record<string, string> = {};
  const data = get(cm, "data");
  if (isObj(data)) for (const [k, v] of Object.entries(data)) if (typeof v === "string") out[k] = v;
  return out;
}

function portNumber(c: Json | undefined, name: string): number | undefined {
  for (const p of asArray(get(c, "ports"))) if (get(p, "name") === name) return get(p, "containerPort") as number;
  return undefined;
}

function checkChatd(f: Findings, name: string, objs: Obj[]): void {
  const find = (kind: string, n = "chatd") => objs.find((o) => o.kind === kind && get(o, "metadata", "name") === n);
  for (const kind of requiredKinds) {
    f.check(objs.some((o) => o.kind === kind), name, `no ${kind}`);
  }
  const config = configOf(objs);
  const drain = Number(config.CHATD_DRAIN_SECONDS ?? "10");
  const idle = Number(config.CHATD_IDLE_TIMEOUT_SECONDS ?? "60");
  const pingInterval = idle / 3;

  // Secrets are referenced, never shipped.
  for (const o of objs) {
    if (o.kind === "Secret") f.fail(name, `${nameOf(o)}: the manifests must not contain Secrets`);
  }

  const deploy = find("Deployment");
  if (deploy) {
    const where = `${name} Deployment/chatd`;
    f.check(((get(deploy, "spec", "replicas") as number | undefined) ?? 1) >= 2, where, "fewer than 2 replicas");
    const pod = podSpecOf(deploy);
    const c = asArray(get(pod, "containers")).find((x) => get(x, "name") === "chatd");
    f.check(c !== undefined, where, "no container named chatd");
    f.check(get(pod, "serviceAccountName") === "chatd", where, "serviceAccountName is not chatd");
    f.check(portNumber(c, "http") === 8080, where, "port http is not 8080");
    f.check(portNumber(c, "metrics") === 9090, where, "port metrics is not 9090");
    for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"]) {
      const port = get(c, probe, "httpGet", "port");
      f.check(port === "metrics" || port === 9090, where, `${probe} is not an HTTP probe on the side port`);
    }
    f.check(get(c, "readinessProbe", "httpGet", "path") === "/readyz", where, "readinessProbe does not use /readyz");
    const refs = new Set<string>();
    for (const e of asArray(get(c, "env"))) {
      if (get(e, "valueFrom", "secretKeyRef", "name") === "chatd-secrets") refs.add(asString(get(e, "valueFrom", "secretKeyRef", "key")) ?? "");
    }
    for (const key of ["DATABASE_URL", "CHATD_ADMIN_TOKEN"]) {
      f.check(refs.has(key), where, `${key} does not come from Secret chatd-secrets`);
    }
    const pre = asArray(get(c, "lifecycle", "preStop", "exec", "command"));
    const preSleep = pre[0] === "sleep" ? Number(pre[1]) : Number(get(c, "lifecycle", "preStop", "sleep", "seconds") ?? NaN);
    f.check(Number.isFinite(preSleep), where, "no preStop sleep");
    const grace = (get(pod, "terminationGracePeriodSeconds") as number | undefined) ?? 30;
    f.check(grace > (Number.isFinite(preSleep) ? preSleep : 0) + drain, where,
      `terminationGracePeriodSeconds ${grace} is not above preStop ${preSleep} s + CHATD_DRAIN_SECONDS ${drain} s`);
    const keys = asArray(get(pod, "topologySpreadConstraints")).map((t) => get(t, "topologyKey"));
    f.check(keys.includes("kubernetes.io/hostname"), where, "no topology spread across nodes");
    f.check(keys.includes("topology.kubernetes.io/zone"), where, "no topology spread across zones");
    f.check(get(pod, "automountServiceAccountToken") === false, where, "mounts a ServiceAccount token it does not need");
  }

  const svc = find("Service");
  if (svc) {
    const ports = asArray(get(svc, "spec", "ports"));
    f.check(ports.some((p) => get(p, "name") === "http" && get(p, "port") === 8080), `${name} Service/chatd`, "no port http 8080");
    f.check(ports.some((p) => get(p, "name") === "metrics" && get(p, "port") === 9090), `${name} Service/chatd`, "no port metrics 9090");
    const sel = get(svc, "spec", "selector");
    const podLabels = get(deploy, "spec", "template", "metadata", "labels");
    if (isObj(sel)) for (const [k, v] of Object.entries(sel)) {
      f.check(get(podLabels, k) === v, `${name} Service/chatd`, `selector ${k}=${String(v)} does not match the pods`);
    }
  }

  const publicOrigin = config.CHATD_PUBLIC_ORIGIN ?? "";
  let publicHost = "";
  try {
    publicHost = new URL(publicOrigin).host;
  } catch {
    f.fail(name, `CHATD_PUBLIC_ORIGIN "${publicOrigin}" is not a URL`);
  }
  const ing = find("Ingress");
  if (ing) {
    const where = `${name} Ingress/chatd`;
    const rules = asArray(get(ing, "spec", "rules"));
    const tlsHosts = asArray(get(ing, "spec", "tls")).flatMap((t) => asArray(get(t, "hosts")));
    f.check(rules.length > 0, where, "no rules");
    for (const r of rules) {
      const host = asString(get(r, "host")) ?? "";
      f.check(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/.test(host), where, `host "${host}" is not a DNS name`);
      f.check(tlsHosts.includes(host), where, `host "${host}" has no TLS entry`);
      f.check(host === publicHost, where, `host "${host}" differs from CHATD_PUBLIC_ORIGIN's host "${publicHost}"`);
    }
    f.check(asArray(get(ing, "spec", "tls")).every((t) => typeof get(t, "secretName") === "string"), where, "a TLS entry has no secretName");
    const ann = get(ing, "metadata", "annotations");
    const gce = get(ann, "kubernetes.io/ingress.class") === "gce";
    if (gce) {
      const bc = objs.find((o) => o.kind === "BackendConfig");
      const timeout = Number(get(bc, "spec", "timeoutSec") ?? 30);
      f.check(timeout > pingInterval * 2, where, `BackendConfig timeoutSec ${timeout} does not outlast two ping intervals (${pingInterval} s)`);
      f.check(get(bc, "spec", "healthCheck", "requestPath") === "/readyz" && get(bc, "spec", "healthCheck", "port") === 9090,
        where, "the load balancer's health check is not /readyz on 9090");
      const svcAnn = asString(get(svc, "metadata", "annotations", "cloud.google.com/backend-config")) ?? "";
      f.check(svcAnn.includes(asString(get(bc, "metadata", "name")) ?? "\u0000"), where, "Service does not name the BackendConfig");
    } else {
      for (const key of ["proxy-read-timeout", "proxy-send-timeout"]) {
        const v = Number(asString(get(ann, `nginx.ingress.kubernetes.io/${key}`)) ?? "60");
        f.check(v > pingInterval * 2, where, `${key} ${v} s does not outlast two ping intervals (${pingInterval} s)`);
      }
    }
    const issuer = asString(get(ann, "cert-manager.io/issuer"));
    if (issuer !== undefined) {
      f.check(objs.some((o) => o.kind === "Issuer" && get(o, "metadata", "name") === issuer), where, `names Issuer ${issuer}, which is not rendered`);
    } else {
      f.note(where, "no cert-manager issuer (TLS from the controller's default certificate)");
    }
  }

  const hpa = find("HorizontalPodAutoscaler");
  if (hpa) {
    const where = `${name} HorizontalPodAutoscaler/chatd`;
    f.check(((get(hpa, "spec", "minReplicas") as number | undefined) ?? 1) >= 2, where, "minReplicas below 2");
    f.check(((get(hpa, "spec", "behavior", "scaleDown", "stabilizationWindowSeconds") as number | undefined) ?? 300) >= 900,
      where, "scale-down stabilization window under 15 minutes");
    const metrics = asArray(get(hpa, "spec", "metrics"));
    f.check(metrics.some((m) => get(m, "resource", "name") === "cpu"), where, "no CPU metric");
    for (const m of metrics) {
      const metricName = asString(get(m, "pods", "metric", "name"));
      if (metricName !== undefined) f.check(metricName === "chatd_connections_open", where, `unknown pods metric ${metricName}`);
    }
  }

  const pdb = find("PodDisruptionBudget");
  const np = find("NetworkPolicy");
  if (np) {
    const where = `${name} NetworkPolicy/chatd`;
    const types = asArray(get(np, "spec", "policyTypes"));
    f.check(types.includes("Ingress") && types.includes("Egress"), where, "does not restrict both directions");
    const egressPorts = asArray(get(np, "spec", "egress")).flatMap((e) => asArray(get(e, "ports")).map((p) => get(p, "port")));
    f.check(egressPorts.includes(53), where, "no DNS egress");
    f.check(egressPorts.includes(5432), where, "no PostgreSQL egress");
    f.check(egressPorts.every((p) => p === 53 || p === 5432), where, "egress beyond DNS and PostgreSQL");
    const ingressPorts = asArray(get(np, "spec", "ingress")).flatMap((e) => asArray(get(e, "ports")).map((p) => get(p, "port")));
    f.check(ingressPorts.includes("http") && ingressPorts.includes("metrics"), where, "does not admit both the main and the side port");
    for (const rule of asArray(get(np, "spec", "ingress"))) {
      f.check(asArray(get(rule, "from")).length > 0, where, "an ingress rule admits every source");
    }
  }
  for (const o of [pdb, np]) {
    if (!o) continue;
    const sel = get(o, "spec", o.kind === "NetworkPolicy" ? "podSelector" : "selector", "matchLabels");
    const podLabels = get(deploy, "spec", "template", "metadata", "labels");
    f.check(isObj(sel) && Object.entries(sel).every(([k, v]) => get(podLabels, k) === v), `${name} ${nameOf(o)}`, "selector does not match the chatd pods");
  }

  const sm = find("ServiceMonitor");
  if (sm) {
    const where = `${name} ServiceMonitor/chatd`;
    const sel = get(sm, "spec", "selector", "matchLabels");
    const svcLabels = get(svc, "metadata", "labels");
    f.check(isObj(sel) && Object.entries(sel).every(([k, v]) => get(svcLabels, k) === v), where, "selector does not match Service/chatd");
    f.check(asArray(get(sm, "spec", "endpoints")).some((e) => get(e, "port") === "metrics"), where, "does not scrape port metrics");
    const jobLabel = asString(get(sm, "spec", "jobLabel"));
    f.check(jobLabel !== undefined && get(svcLabels, jobLabel) === "chatd", where, "the job label would not be chatd (the rules select job=\"chatd\")");
  }

  // Argo CD order: the namespace first, then what creates Secrets and certificates.
  for (const o of objs) {
    const w = syncWave(o);
    if (o.kind === "Namespace") f.check(w < -1, `${name} ${nameOf(o)}`, "sync wave must come before the secrets (< -1)");
    if (["SecretStore", "ExternalSecret", "Issuer"].includes(asString(o.kind) ?? "")) {
      f.check(w < 0 && w > -2, `${name} ${nameOf(o)}`, "sync wave must be -1 (after the namespace, before chatd)");
    }
  }
  const es = objs.find((o) => o.kind === "ExternalSecret");
  if (es) {
    const where = `${name} ${nameOf(es)}`;
    f.check(get(es, "spec", "target", "name") === "chatd-secrets", where, "does not build Secret chatd-secrets");
    const keys = asArray(get(es, "spec", "data")).map((d) => get(d, "secretKey"));
    f.check(keys.includes("DATABASE_URL") && keys.includes("CHATD_ADMIN_TOKEN"), where, "misses DATABASE_URL or CHATD_ADMIN_TOKEN");
    const store = asString(get(es, "spec", "secretStoreRef", "name"));
    f.check(objs.some((o) => o.kind === "SecretStore" && get(o, "metadata", "name") === store), where, `SecretStore ${store ?? "?"} is not rendered`);
  } else {
    f.note(name, "no ExternalSecret: Secret chatd-secrets is created by hand (docs/deploy.md)");
  }
}

function checkCommon(f: Findings, name: string, objs: Obj[]): void {
  const text = JSON.stringify(objs);
  const unresolved = text.match(/\$\([A-Z_]+\)/g);
  f.check(unresolved === null, name, `unresolved kustomize variables ${[...new Set(unresolved ?? [])].join(", ")}`);
  const seen = new Set<string>();
  for (const o of objs) {
    const id = `${nameOf(o)}@${asString(get(o, "metadata", "namespace")) ?? ""}`;
    f.check(!seen.has(id), name, `${id} appears twice`);
    seen.add(id);
    const ns = get(o, "metadata", "namespace");
    if (!clusterScopedKinds.has(asString(o.kind) ?? "") && !asString(get(o, "apiVersion"))?.startsWith("argoproj.io/")) {
      f.check(ns === "chatd", name, `${nameOf(o)} is in namespace ${String(ns)}, not chatd`);
    }
    if (workloadKinds.has(asString(o.kind) ?? "")) checkContainers(f, `${name} ${nameOf(o)}`, o);
  }
}

function checkArgo(f: Findings, objs: Obj[], overlaysDir: string | undefined, overlayNames: string[]): void {
  const project = objs.find((o) => o.kind === "AppProject");
  f.check(project !== undefined, "argocd", "no AppProject");
  const apps = objs.filter((o) => o.kind === "Application");
  const repos = asArray(get(project, "spec", "sourceRepos"));
  const projectName = asString(get(project, "metadata", "name"));
  const whitelisted = new Set(asArray(get(project, "spec", "namespaceResourceWhitelist")).map((w) => `${asString(get(w, "group")) ?? ""}/${asString(get(w, "kind")) ?? ""}`));
  for (const app of apps) {
    const where = `argocd ${nameOf(app)}`;
    f.check(get(app, "spec", "project") === projectName, where, "not in the chatd AppProject");
    f.check(repos.includes(get(app, "spec", "source", "repoURL") ?? null), where, "repoURL is not one of the project's sourceRepos");
    f.check(get(app, "spec", "syncPolicy", "automated", "prune") === true, where, "automated prune is off");
    f.check(get(app, "spec", "syncPolicy", "automated", "selfHeal") === true, where, "automated self-heal is off");
    f.check(get(app, "spec", "destination", "namespace") === "chatd", where, "destination namespace is not chatd");
    const ignoresReplicas = asArray(get(app, "spec", "ignoreDifferences")).some((d) => get(d, "kind") === "Deployment" && asArray(get(d, "jsonPointers")).includes("/spec/replicas"));
    f.check(ignoresReplicas, where, "does not leave /spec/replicas to the HPA");
    const path = asString(get(app, "spec", "source", "path")) ?? "";
    const m = /^deploy\/k8s\/overlays\/([a-z0-9-]+)$/.exec(path);
    f.check(m !== null, where, `path ${path} is not an overlay`);
    if (m && overlaysDir) f.check(existsSync(join(overlaysDir, m[1] ?? "", "kustomization.yaml")), where, `overlay ${m[1] ?? ""} does not exist`);
  }
  for (const overlay of overlayNames) {
    f.check(apps.some((a) => get(a, "spec", "source", "path") === `deploy/k8s/overlays/${overlay}`), "argocd", `no Application for overlay ${overlay}`);
  }
  return void whitelisted;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  let generated: string | undefined;
  let argocd: string | undefined;
  let overlays: string | undefined;
  let adapterValues: string | undefined;
  const inputs: { name: string; path: string }[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? "";
    if (a === "--generated") generated = args[++i];
    else if (a === "--argocd") argocd = args[++i];
    else if (a === "--overlays") overlays = args[++i];
    else if (a === "--adapter-values") adapterValues = args[++i];
    else if (/^[a-z0-9-]+=.+/.test(a)) inputs.push({ name: a.slice(0, a.indexOf("=")), path: a.slice(a.indexOf("=") + 1) });
    else usage("k8s.js --generated DIR [--argocd DIR] [--overlays DIR] NAME=RENDERED.yaml...");
  }
  if (!generated || (inputs.length === 0 && !argocd)) usage("k8s.js --generated DIR [--argocd DIR] [--overlays DIR] NAME=RENDERED.yaml...");
  mkdirSync(generated, { recursive: true });
  const f = new Findings();
  let count = 0;
  const all: { name: string; objs: Obj[]; argo: boolean }[] = [];
  for (const { name, path } of inputs) {
    const docs = readYamlDocs(path);
    all.push({ name, objs: docs.filter(isObj), argo: false });
    f.check(docs.every(isObj), name, "a document is not an object");
  }
  if (argocd) {
    const objs: Obj[] = [];
    for (const file of readdirSync(argocd).filter((x) => x.endsWith(".yaml")).sort()) {
      objs.push(...readYamlDocs(join(argocd, file)).filter(isObj));
    }
    all.push({ name: "argocd", objs, argo: true });
  }
  for (const { name, objs, argo } of all) {
    const typed: { ref: ModelRef; obj: Json; label: string }[] = [];
    for (const o of objs) {
      count++;
      const apiVersion = asString(o.apiVersion) ?? "";
      const kind = asString(o.kind) ?? "";
      const group = apiVersion.includes("/") ? apiVersion : `core/${apiVersion}`;
      if (kindsWithoutSchema.has(`${apiVersion}/${kind}`)) {
        f.note(`${name} ${nameOf(o)}`, `no schema package for ${group} ${kind}: project checks only`);
        continue;
      }
      const ref = modelRef(apiVersion, kind);
      if (!ref) {
        f.fail(`${name} ${nameOf(o)}`, `no model package for ${apiVersion} ${kind}`);
        continue;
      }
      const err = await validateWithModel(ref, o);
      if (err !== undefined) f.fail(`${name} ${nameOf(o)}`, `schema: ${err}`);
      typed.push({ ref, obj: o, label: `${name} ${nameOf(o)}` });
    }
    writeFileSync(join(generated, `k8s-${name}.ts`), typedModule(typed));
    if (argo) {
      checkArgo(f, objs, overlays, all.filter((x) => !x.argo).map((x) => x.name));
    } else {
      checkCommon(f, name, objs);
      checkChatd(f, name, objs);
    }
  }
  if (adapterValues) {
    // Every custom metric an HPA asks for must be one prometheus-adapter is configured to serve.
    const served = asArray(get(readYamlDocs(adapterValues)[0], "rules", "custom")).map((r) => asString(get(r, "name", "as")));
    for (const { name, objs } of all) {
      for (const hpa of objs.filter((o) => o.kind === "HorizontalPodAutoscaler")) {
        for (const m of asArray(get(hpa, "spec", "metrics"))) {
          const metric = asString(get(m, "pods", "metric", "name"));
          if (metric !== undefined) f.check(served.includes(metric), `${name} ${nameOf(hpa)}`, `prometheus-adapter does not serve ${metric}`);
        }
      }
    }
  }
  return f.report("kubernetes", `${count} objects in ${all.map((a) => a.name).join(", ")}`);
}

process.exit(await main());
