import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(fileURLToPath(new URL('../../..', import.meta.url)));

// Copies a folder of the repository into a fresh temporary folder, so a test can break it.
export async function copyOf(relative) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'chatd-infra-validate-'));
  await cp(path.join(repoRoot, relative), dir, { recursive: true, filter: (src) => !src.includes(`${path.sep}.terraform`) });
  return dir;
}

export async function cleanup(dir) {
  await rm(dir, { recursive: true, force: true });
}

// Replaces text in a file and fails the test if the text was not there: a mutation that silently
// does nothing would make a negative test pass for the wrong reason.
export async function mutate(file, from, to) {
  const text = await readFile(file, 'utf8');
  const changed = typeof from === 'string' ? text.split(from).join(to) : text.replace(from, to);
  assert.notEqual(changed, text, `mutation did not apply to ${file}: ${from}`);
  await writeFile(file, changed);
}

export async function append(file, extra) {
  await writeFile(file, (await readFile(file, 'utf8')) + extra);
}

// The findings of the one check whose name starts with prefix.
export function findingsOf(report, prefix) {
  const matches = report.checks.filter((c) => c.name.startsWith(prefix));
  assert.equal(matches.length, 1, `expected one check named "${prefix}...", found ${matches.map((c) => c.name).join(' | ') || 'none'}`);
  return matches[0].findings;
}

// Asserts that the named check failed with a finding matching pattern, and that no other check
// failed except those listed in alsoFailing (where one mistake rightly trips two checks).
export function assertOnlyFailure(report, prefix, pattern, alsoFailing = []) {
  const findings = findingsOf(report, prefix);
  assert.ok(findings.some((f) => pattern.test(f)), `check "${prefix}" should report ${pattern}, got:\n${findings.join('\n') || '(nothing)'}`);
  const others = report.failed.filter((c) => !c.name.startsWith(prefix) && !alsoFailing.some((a) => c.name.startsWith(a)));
  assert.deepEqual(others.map((c) => `${c.name}: ${c.findings.join('; ')}`), [], 'other checks failed too');
}
