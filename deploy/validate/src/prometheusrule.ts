// Wraps deploy/monitoring/chatd.rules.yml into the PrometheusRule the kustomize base ships, so
// both Prometheus set-ups run the same rules. Usage:
//   node dist/prometheusrule.js --write|--check RULES.yml PROMETHEUSRULE.yaml
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { stringify } from "yaml";
import { isObj, readYamlDocs, usage } from "./lib.js";

const header = `# Generated from chatd.rules.yml by deploy/validate (node dist/prometheusrule.js --write
# chatd.rules.yml prometheusrule.yaml); CI fails when it is out of date. Edit the rules file instead.
`;

export function render(rulesPath: string): string {
  const docs = readYamlDocs(rulesPath);
  const rules = docs[0];
  if (docs.length !== 1 || !isObj(rules) || !Array.isArray(rules.groups)) {
    throw new Error(`${rulesPath}: expected one document with "groups"`);
  }
  const obj = {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PrometheusRule",
    metadata: {
      name: "chatd",
      labels: {
        "app.kubernetes.io/name": "chatd",
        "app.kubernetes.io/part-of": "chatd",
        // kube-prometheus-stack selects rules by its Helm release name.
        release: "kube-prometheus-stack",
      },
    },
    spec: { groups: rules.groups },
  };
  return header + stringify(obj, { lineWidth: 100, minContentWidth: 40, blockQuote: "literal" });
}

const [mode, rulesPath, outPath] = process.argv.slice(2);
if ((mode !== "--write" && mode !== "--check") || !rulesPath || !outPath) {
  usage("prometheusrule.js --write|--check RULES.yml PROMETHEUSRULE.yaml");
}
const text = render(rulesPath);
if (mode === "--write") {
  writeFileSync(outPath, text);
  console.log(`wrote ${outPath}`);
} else if (!existsSync(outPath) || readFileSync(outPath, "utf8") !== text) {
  console.error(`prometheusrule: ${outPath} is out of date with ${rulesPath}; run: node dist/prometheusrule.js --write ${rulesPath} ${outPath}`);
  process.exit(1);
} else {
  console.log(`prometheusrule: ok (${outPath} matches ${rulesPath})`);
}
