import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from '@cdktf/hcl2json';

// Loads every Terraform module (a folder with .tf files) under root. A module is the merge of its
// files, as Terraform sees it; each block remembers the file it came from for error messages.
export async function loadModules(root) {
  const modules = new Map();
  const parseErrors = [];
  for (const dir of await terraformDirs(root)) {
    const files = (await readdir(dir)).filter((f) => f.endsWith('.tf')).sort();
    const mod = emptyModule(dir);
    for (const file of files) {
      const full = path.join(dir, file);
      const text = await readFile(full, 'utf8');
      mod.sources.push({ file: full, text });
      let json;
      try {
        json = await parse(full, text);
      } catch (err) {
        parseErrors.push(`${full}: ${firstLine(err)}`);
        continue;
      }
      mergeInto(mod, json, full);
    }
    modules.set(dir, mod);
  }
  return { modules, parseErrors };
}

// Parses one HCL file that holds only attributes (a .tfvars file).
export async function parseTfvars(file) {
  const text = await readFile(file, 'utf8');
  return { text, values: await parse(file, text) };
}

function firstLine(err) {
  return String(err && err.message ? err.message : err).split('\n')[0];
}

async function terraformDirs(root) {
  const out = [];
  async function walk(dir) {
    const entries = await readdir(dir, { withFileTypes: true });
    if (entries.some((e) => e.isFile() && e.name.endsWith('.tf'))) {
      out.push(dir);
    }
    for (const e of entries) {
      if (e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules') {
        await walk(path.join(dir, e.name));
      }
    }
  }
  await walk(root);
  return out.sort();
}

function emptyModule(dir) {
  return {
    dir,
    sources: [],
    variables: new Map(),
    outputs: new Map(),
    locals: new Map(),
    resources: new Map(),
    data: new Map(),
    modules: new Map(),
    providers: new Map(),
    terraform: [],
    expressions: [],
  };
}

// hcl2json gives blocks as {label: [body, ...]}; a body is an object of attributes and nested blocks.
function mergeInto(mod, json, file) {
  for (const [name, bodies] of Object.entries(json.variable ?? {})) {
    mod.variables.set(name, { body: bodies[0], file });
  }
  for (const [name, bodies] of Object.entries(json.output ?? {})) {
    mod.outputs.set(name, { body: bodies[0], file });
  }
  for (const block of json.locals ?? []) {
    for (const [name, value] of Object.entries(block)) {
      mod.locals.set(name, { value, file });
    }
  }
  for (const [type, byName] of Object.entries(json.resource ?? {})) {
    for (const [name, bodies] of Object.entries(byName)) {
      mod.resources.set(`${type}.${name}`, { type, name, body: bodies[0], file });
    }
  }
  for (const [type, byName] of Object.entries(json.data ?? {})) {
    for (const [name, bodies] of Object.entries(byName)) {
      mod.data.set(`${type}.${name}`, { type, name, body: bodies[0], file });
    }
  }
  for (const [name, bodies] of Object.entries(json.module ?? {})) {
    mod.modules.set(name, { body: bodies[0], file });
  }
  for (const [name, bodies] of Object.entries(json.provider ?? {})) {
    mod.providers.set(name, { body: bodies[0], file });
  }
  for (const body of json.terraform ?? []) {
    mod.terraform.push({ body, file });
  }
  collectExpressions(json, file, mod.expressions, []);
}

// Every string that holds an interpolation is an expression; literal strings are not.
function collectExpressions(node, file, out, trail) {
  if (typeof node === 'string') {
    if (node.includes('${')) {
      out.push({ file, text: node, where: trail.join('.') });
    }
    return;
  }
  if (Array.isArray(node)) {
    node.forEach((item, i) => collectExpressions(item, file, out, trail));
    return;
  }
  if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      collectExpressions(value, file, out, [...trail, key]);
    }
  }
}

// Names of dynamic blocks; inside them the block name is an iterator, not a resource.
export function dynamicIterators(node, out = new Set()) {
  if (Array.isArray(node)) {
    node.forEach((n) => dynamicIterators(n, out));
  } else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'dynamic' && value && typeof value === 'object') {
        for (const [name, bodies] of Object.entries(value)) {
          out.add(name);
          for (const b of bodies) {
            if (b && typeof b.iterator === 'string') {
              out.add(b.iterator);
            }
          }
        }
      }
      dynamicIterators(value, out);
    }
  }
  return out;
}
