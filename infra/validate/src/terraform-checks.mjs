import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { dynamicIterators, loadModules, parseTfvars } from './hcl.mjs';

// Meta-arguments of a module block that are not inputs of the child module.
const MODULE_META = new Set(['source', 'version', 'providers', 'depends_on', 'count', 'for_each']);
// Names that look like traversals but are language keywords or iterators.
const NOT_RESOURCES = new Set(['each', 'count', 'self', 'path', 'terraform', 'var', 'local', 'module', 'data']);
// A name that suggests a secret: such a variable may have no default, and a literal value may
// never be assigned to such an attribute.
const SECRETISH = /(password|passwd|secret|token|private_key|access_key|client_secret|api_key)/i;
const SECRET_PATTERNS = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a PEM private key'],
  [/AccountKey=[A-Za-z0-9+/=]{20,}/, 'an Azure storage account key'],
  [/"type":\s*"service_account"/, 'a Google service account key file'],
  [/\bAKIA[0-9A-Z]{16}\b/, 'an AWS access key id'],
  [/\bgh[pousr]_[A-Za-z0-9]{30,}\b/, 'a GitHub token'],
];

// Runs every Terraform check over root (infra/terraform or a fixture) and records one line per check.
// contract: { roots: { <dir relative to root>: { backend, outputs: [...] } }, forbiddenLiterals: [...] }
// options.repoRoot: where deploy/k8s lives (default: two levels above root, as for infra/terraform).
export async function checkTerraform(root, contract, report, options = {}) {
  const repoRoot = options.repoRoot ?? path.resolve(root, '../..');
  const { modules, parseErrors } = await loadModules(root);
  report.add(`terraform: every .tf file under ${root} parses (${countFiles(modules)} files, ${modules.size} modules)`, parseErrors);
  if (modules.size === 0) {
    report.add('terraform: at least one module found', [`no .tf files under ${root}`]);
    return;
  }
  const rel = (p) => path.relative(root, p) || '.';
  const roots = new Set(Object.keys(contract.roots ?? {}).map((r) => path.join(root, r)));

  report.add('terraform: every var.x is declared, typed and described; every validation complete',
    [...modules.values()].flatMap((m) => checkVariables(m, rel)));
  report.add('terraform: every declared variable and local is used',
    [...modules.values()].flatMap((m) => checkUnused(m, rel)));
  report.add('terraform: every local.x is defined',
    [...modules.values()].flatMap((m) => checkLocals(m, rel)));
  report.add('terraform: every resource and data source referenced is declared',
    [...modules.values()].flatMap((m) => checkResourceRefs(m, rel)));
  report.add('terraform: module calls pass declared inputs, all required inputs, and use only defined outputs',
    [...modules.values()].flatMap((m) => checkModuleCalls(m, modules, rel)));
  report.add('terraform: every output has a description and a value',
    [...modules.values()].flatMap((m) => checkOutputs(m, rel)));
  report.add('terraform: every provider is declared with a source and pinned (roots ~> or =, modules bounded)',
    [...modules.values()].flatMap((m) => checkProviders(m, rel, roots.has(m.dir))));
  report.add('terraform: no secrets, keys or default passwords in configuration',
    [...modules.values()].flatMap((m) => checkSecrets(m, rel)));
  report.add('terraform: domains and other install-specific values are not hard-coded',
    [...modules.values()].flatMap((m) => checkForbiddenLiterals(m, rel, contract.forbiddenLiterals ?? [])));

  for (const [rootName, spec] of Object.entries(contract.roots ?? {})) {
    const dir = path.join(root, rootName);
    const mod = modules.get(dir);
    if (!mod) {
      report.add(`terraform root ${rootName}: exists`, [`${dir} has no .tf files`]);
      continue;
    }
    report.add(`terraform root ${rootName}: remote-state backend "${spec.backend}" declared without hard-coded settings`,
      checkBackend(mod, spec.backend, rel));
    report.add(`terraform root ${rootName}: outputs the overlays and workflows rely on exist`,
      (spec.outputs ?? []).filter((o) => !mod.outputs.has(o)).map((o) => `${rootName}: output "${o}" is missing`));
    report.add(`terraform root ${rootName}: names shared with deploy/k8s are used`,
      (spec.mustMention ?? []).filter((s) => !mod.sources.some((f) => f.text.includes(s)))
        .map((s) => `${rootName}: nothing mentions "${s}"`));
    report.add(`terraform root ${rootName}: example.tfvars sets only declared variables and every required one`,
      await checkExampleTfvars(mod, rel));
    if (spec.docs) {
      report.add(`terraform root ${rootName}: every output the ${spec.docs.file} table lists exists`,
        checkDocsTable(mod, path.join(repoRoot, spec.docs.file), spec.docs));
    }
    if (spec.overlay) {
      report.add(`terraform root ${rootName}: every "terraform output/variable X" named in ${spec.overlay} exists`,
        checkOverlayReferences(mod, path.join(repoRoot, spec.overlay), spec.overlay));
    }
  }
}

// The overlays say in comments which Terraform output or variable each cloud-specific value comes
// from ("# terraform output key_vault_uri"); each one named must exist in this root.
function checkOverlayReferences(mod, dir, shown) {
  if (!existsSync(dir)) {
    return [`${shown} does not exist`];
  }
  const out = [];
  let named = 0;
  for (const file of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
    const text = readFileSync(path.join(dir, file), 'utf8');
    for (const m of text.matchAll(/terraform (output|variable) ([A-Za-z_][\w-]*)/g)) {
      named += 1;
      const known = m[1] === 'output' ? mod.outputs.has(m[2]) : mod.variables.has(m[2]);
      if (!known) {
        out.push(`${shown}/${file} names terraform ${m[1]} "${m[2]}", which this root does not have`);
      }
    }
  }
  if (named === 0) {
    out.push(`${shown} names no terraform output at all; its cloud-specific values have no stated source`);
  }
  return out;
}

// The owner's guide lists, per cloud, the outputs to copy in a table whose first column names them
// (`output_a`, `output_b` or "variable `x`"); a renamed output must not leave the guide stale.
function checkDocsTable(mod, file, { file: shown, from, to }) {
  if (!existsSync(file)) {
    return [`${shown} does not exist`];
  }
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf(from);
  const end = text.indexOf(to, start + 1);
  if (start < 0 || end < 0) {
    return [`${shown}: the section between "${from}" and "${to}" is missing`];
  }
  const out = [];
  let named = 0;
  for (const line of text.slice(start, end).split('\n')) {
    const cell = line.match(/^\|([^|]*)\|/)?.[1]?.trim() ?? '';
    if (!cell || /^-+$/.test(cell) || cell === 'output') {
      continue;
    }
    for (const m of cell.matchAll(/(variable )?`([a-z_][a-z0-9_]*)`/g)) {
      named += 1;
      const known = m[1] ? mod.variables.has(m[2]) : mod.outputs.has(m[2]);
      if (!known) {
        out.push(`${shown} (${from}) lists ${m[1] ? 'variable' : 'output'} "${m[2]}", which this root does not have`);
      }
    }
  }
  if (named === 0) {
    out.push(`${shown} (${from}) has no table of outputs`);
  }
  return out;
}

function countFiles(modules) {
  return [...modules.values()].reduce((n, m) => n + m.sources.length, 0);
}

function refs(mod, regex) {
  const out = [];
  for (const e of mod.expressions) {
    for (const m of e.text.matchAll(regex)) {
      out.push({ match: m, file: e.file, where: e.where });
    }
  }
  return out;
}

function checkVariables(mod, rel) {
  const out = [];
  for (const { match, file, where } of refs(mod, /(?<![\w.])var\.([A-Za-z_][\w-]*)/g)) {
    if (!mod.variables.has(match[1])) {
      out.push(`${rel(file)}: ${where} uses var.${match[1]}, which is not declared`);
    }
  }
  for (const [name, { body, file }] of mod.variables) {
    if (typeof body.type !== 'string' || body.type.length === 0) {
      out.push(`${rel(file)}: variable "${name}" has no type`);
    }
    if (typeof body.description !== 'string' || body.description.trim().length < 8) {
      out.push(`${rel(file)}: variable "${name}" has no real description`);
    }
    for (const v of body.validation ?? []) {
      if (typeof v.condition !== 'string' || !v.condition.includes(`var.${name}`)) {
        out.push(`${rel(file)}: a validation of variable "${name}" has a condition that does not test var.${name}`);
      }
      if (typeof v.error_message !== 'string' || v.error_message.trim().length === 0) {
        out.push(`${rel(file)}: a validation of variable "${name}" has no error_message`);
      }
    }
  }
  return dedupe(out);
}

// A variable nobody reads is a setting that silently does nothing.
function checkUnused(mod, rel) {
  // A variable's own validation rule does not count as a use.
  const usedVars = new Set(refs(mod, /(?<![\w.])var\.([A-Za-z_][\w-]*)/g)
    .filter((r) => !r.where.startsWith(`variable.${r.match[1]}.`))
    .map((r) => r.match[1]));
  const usedLocals = new Set(refs(mod, /(?<![\w.])local\.([A-Za-z_][\w-]*)/g).map((r) => r.match[1]));
  const out = [];
  for (const [name, { file }] of mod.variables) {
    if (!usedVars.has(name)) {
      out.push(`${rel(file)}: variable "${name}" is declared but never used`);
    }
  }
  for (const [name, { file }] of mod.locals) {
    if (!usedLocals.has(name)) {
      out.push(`${rel(file)}: local "${name}" is defined but never used`);
    }
  }
  return out;
}

function checkLocals(mod, rel) {
  const out = [];
  for (const { match, file, where } of refs(mod, /(?<![\w.])local\.([A-Za-z_][\w-]*)/g)) {
    if (!mod.locals.has(match[1])) {
      out.push(`${rel(file)}: ${where} uses local.${match[1]}, which is not defined`);
    }
  }
  return dedupe(out);
}

function providerNames(mod) {
  const names = new Set();
  for (const { body } of mod.terraform) {
    for (const rp of body.required_providers ?? []) {
      for (const name of Object.keys(rp)) {
        names.add(name);
      }
    }
  }
  return names;
}

function checkResourceRefs(mod, rel) {
  const out = [];
  const providers = providerNames(mod);
  const iterators = new Set();
  for (const { body } of [...mod.resources.values(), ...mod.data.values(), ...mod.modules.values()]) {
    dynamicIterators(body, iterators);
  }
  for (const { match, file, where } of refs(mod, /(?<![\w.])data\.([a-z][a-z0-9_]*)\.([A-Za-z_][\w-]*)/g)) {
    if (!mod.data.has(`${match[1]}.${match[2]}`)) {
      out.push(`${rel(file)}: ${where} uses data.${match[1]}.${match[2]}, which is not declared`);
    }
  }
  for (const { match, file, where } of refs(mod, /(?<![\w.])([a-z][a-z0-9]*)_([a-z0-9_]+)\.([A-Za-z_][\w-]*)/g)) {
    const type = `${match[1]}_${match[2]}`;
    if (NOT_RESOURCES.has(match[1]) || iterators.has(type) || !providers.has(match[1])) {
      continue;
    }
    if (!mod.resources.has(`${type}.${match[3]}`)) {
      out.push(`${rel(file)}: ${where} uses ${type}.${match[3]}, which is not declared`);
    }
  }
  return dedupe(out);
}

function checkModuleCalls(mod, modules, rel) {
  const out = [];
  for (const [name, { body, file }] of mod.modules) {
    const source = body.source;
    if (typeof source !== 'string' || !source.startsWith('./') && !source.startsWith('../')) {
      out.push(`${rel(file)}: module "${name}" must use a local source in this repository (got ${JSON.stringify(source)})`);
      continue;
    }
    const child = modules.get(path.join(mod.dir, source));
    if (!child) {
      out.push(`${rel(file)}: module "${name}" points at ${source}, which holds no module`);
      continue;
    }
    for (const arg of Object.keys(body)) {
      if (!MODULE_META.has(arg) && !child.variables.has(arg)) {
        out.push(`${rel(file)}: module "${name}" passes "${arg}", which ${source} does not declare`);
      }
    }
    for (const [v, { body: vb }] of child.variables) {
      if (!('default' in vb) && !(v in body)) {
        out.push(`${rel(file)}: module "${name}" does not pass required input "${v}" of ${source}`);
      }
    }
  }
  for (const { match, file, where } of refs(mod, /(?<![\w.])module\.([A-Za-z_][\w-]*)(?:\.([A-Za-z_][\w-]*))?/g)) {
    const call = mod.modules.get(match[1]);
    if (!call) {
      out.push(`${rel(file)}: ${where} uses module.${match[1]}, which is not called here`);
      continue;
    }
    const child = modules.get(path.join(mod.dir, String(call.body.source)));
    if (child && match[2] && !child.outputs.has(match[2])) {
      out.push(`${rel(file)}: ${where} uses module.${match[1]}.${match[2]}, but ${call.body.source} has no such output`);
    }
  }
  return dedupe(out);
}

function checkOutputs(mod, rel) {
  const out = [];
  for (const [name, { body, file }] of mod.outputs) {
    if (typeof body.description !== 'string' || body.description.trim().length < 8) {
      out.push(`${rel(file)}: output "${name}" has no real description`);
    }
    if (!('value' in body)) {
      out.push(`${rel(file)}: output "${name}" has no value`);
    }
  }
  return out;
}

function checkProviders(mod, rel, isRoot) {
  const out = [];
  const declared = new Map();
  let requiredVersion = false;
  for (const { body } of mod.terraform) {
    requiredVersion ||= typeof body.required_version === 'string';
    for (const rp of body.required_providers ?? []) {
      for (const [name, spec] of Object.entries(rp)) {
        declared.set(name, spec);
      }
    }
  }
  const where = rel(mod.dir);
  if (!requiredVersion) {
    out.push(`${where}: terraform.required_version is not set`);
  }
  for (const [name, spec] of declared) {
    if (!spec || typeof spec !== 'object' || typeof spec.source !== 'string') {
      out.push(`${where}: provider "${name}" has no source`);
      continue;
    }
    const v = typeof spec.version === 'string' ? spec.version.trim() : '';
    if (!v) {
      out.push(`${where}: provider "${name}" has no version constraint`);
    } else if (isRoot && !/^(~>\s*\d+\.\d+|=?\s*\d+\.\d+\.\d+$)/.test(v)) {
      out.push(`${where}: provider "${name}" is not pinned in a root (use "~> X.Y" or an exact version, got "${v}")`);
    } else if (!isRoot && !/(<|~>)/.test(v)) {
      out.push(`${where}: provider "${name}" has no upper bound ("${v}"); a new major version could break the module`);
    }
  }
  for (const { type, file } of [...mod.resources.values(), ...mod.data.values()]) {
    const prefix = type.split('_')[0];
    if (!declared.has(prefix)) {
      out.push(`${rel(file)}: ${type} needs provider "${prefix}", which required_providers does not declare`);
    }
  }
  return dedupe(out);
}

function checkSecrets(mod, rel) {
  const out = [];
  for (const [name, { body, file }] of mod.variables) {
    if (SECRETISH.test(name) && 'default' in body && body.default !== null && body.default !== '') {
      out.push(`${rel(file)}: variable "${name}" looks like a secret and has a default value`);
    }
  }
  const walk = (node, trail, file) => {
    if (Array.isArray(node)) {
      node.forEach((n) => walk(n, trail, file));
    } else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (typeof value === 'string' && SECRETISH.test(key) && !/_(name|id|ids|type|enabled|length)$/.test(key) && !value.includes('${') && value.length > 0) {
          out.push(`${rel(file)}: ${[...trail, key].join('.')} is set to a literal; generate it (random_password) instead`);
        }
        walk(value, [...trail, key], file);
      }
    }
  };
  for (const r of [...mod.resources.values(), ...mod.data.values()]) {
    walk(r.body, [`${r.type}.${r.name}`], r.file);
  }
  for (const { file, text } of mod.sources) {
    for (const [re, what] of SECRET_PATTERNS) {
      if (re.test(text)) {
        out.push(`${rel(file)}: contains what looks like ${what}`);
      }
    }
  }
  return out;
}

function checkForbiddenLiterals(mod, rel, literals) {
  const out = [];
  for (const { file, text } of mod.sources) {
    for (const lit of literals) {
      if (text.includes(lit)) {
        out.push(`${rel(file)}: hard-codes "${lit}"; make it a variable`);
      }
    }
  }
  return out;
}

function checkBackend(mod, kind, rel) {
  const backends = mod.terraform.filter((t) => t.body.backend).map((t) => ({ file: t.file, backend: t.body.backend }));
  if (backends.length !== 1) {
    return [`${rel(mod.dir)}: expected exactly one backend block, found ${backends.length}`];
  }
  const { file, backend } = backends[0];
  const out = [];
  if (!(kind in backend)) {
    out.push(`${rel(file)}: backend is ${Object.keys(backend).join(', ')}, expected ${kind}`);
  }
  for (const [name, bodies] of Object.entries(backend)) {
    const settings = Object.keys(bodies[0] ?? {});
    if (settings.length > 0) {
      out.push(`${rel(file)}: backend "${name}" hard-codes ${settings.join(', ')}; pass them with -backend-config`);
    }
  }
  if (!existsSync(path.join(mod.dir, 'backend.hcl.example'))) {
    out.push(`${rel(mod.dir)}: backend.hcl.example documenting the backend settings is missing`);
  }
  return out;
}

async function checkExampleTfvars(mod, rel) {
  const file = path.join(mod.dir, 'example.tfvars');
  if (!existsSync(file)) {
    return [`${rel(mod.dir)}: example.tfvars is missing`];
  }
  let values;
  try {
    ({ values } = await parseTfvars(file));
  } catch (err) {
    return [`${rel(file)}: does not parse: ${String(err.message ?? err).split('\n')[0]}`];
  }
  const out = [];
  for (const key of Object.keys(values)) {
    if (!mod.variables.has(key)) {
      out.push(`${rel(file)}: sets "${key}", which is not a variable of ${rel(mod.dir)}`);
    }
    if (SECRETISH.test(key)) {
      out.push(`${rel(file)}: sets "${key}", which looks like a secret; secrets are generated, never written in tfvars`);
    }
  }
  for (const [name, { body }] of mod.variables) {
    if (!('default' in body) && !(name in values)) {
      out.push(`${rel(file)}: does not set required variable "${name}"`);
    }
  }
  return out;
}

function dedupe(list) {
  return [...new Set(list)];
}
