// What the rest of the repository relies on from infra/: outputs that deploy/k8s overlays and the
// release workflow are filled from, and names shared with deploy/k8s. Changing one here means
// changing it there too.
export const terraformContract = {
  roots: {
    azure: {
      backend: 'azurerm',
      overlay: 'deploy/k8s/overlays/azure',
      docs: { file: 'docs/infrastructure.md', from: '## Step 2a.', to: '## Step 2b.' },
      outputs: [
        'registry_login_server', 'registry_name', 'get_credentials_command', 'database_host',
        'key_vault_name', 'tenant_id', 'database_url_secret_id', 'admin_token_secret_id',
        'chatd_identity_client_id', 'github_actions_client_id', 'subscription_id', 'chat_host',
      ],
      mustMention: ['chatd-database-url', 'chatd-admin-token', 'system:serviceaccount:chatd:chatd'],
    },
    gcp: {
      backend: 'gcs',
      overlay: 'deploy/k8s/overlays/gcp',
      docs: { file: 'docs/infrastructure.md', from: '## Step 2b.', to: '## Step 3.' },
      outputs: [
        'registry_url', 'registry_host', 'get_credentials_command', 'database_host',
        'database_url_secret_id', 'admin_token_secret_id', 'chatd_service_account_email',
        'ingress_ip_name', 'ingress_ip_address', 'github_workload_identity_provider',
        'github_service_account_email', 'chat_host',
      ],
      mustMention: ['chatd-database-url', 'chatd-admin-token', '.svc.id.goog[chatd/chatd]', 'immutable_tags'],
    },
  },
  // The production example must only ever appear in example.tfvars and docs.
  forbiddenLiterals: ['jungyu.store'],
};

const stepsOf = (job) => (Array.isArray(job?.steps) ? job.steps : []);
const allSteps = (data) => Object.values(data.jobs ?? {}).flatMap(stepsOf);
const uses = (step, action) => typeof step.uses === 'string' && step.uses.startsWith(`${action}@`);
const on = (data) => data.on ?? data[true] ?? {};

// Per-workflow promises that the rest of the project relies on.
export const workflowContract = {
  'ci.yml': {
    describe: 'runs bash scripts/test.sh on pull requests and pushes, in Debian 12, with ccache and npm caches',
    check({ data }) {
      const out = [];
      const trig = on(data);
      for (const t of ['pull_request', 'push']) {
        if (!(t in trig)) {
          out.push(`ci.yml: not triggered by ${t}`);
        }
      }
      const jobs = Object.entries(data.jobs ?? {});
      const testJob = jobs.find(([, j]) => stepsOf(j).some((s) => typeof s.run === 'string' && /^\s*bash scripts\/test\.sh\s*$/m.test(s.run)));
      if (!testJob) {
        out.push('ci.yml: no step runs exactly "bash scripts/test.sh" (the README\'s test command)');
        return out;
      }
      const [name, job] = testJob;
      const image = typeof job.container === 'string' ? job.container : job.container?.image;
      if (!/^debian:12(\b|$)/.test(image ?? '')) {
        out.push(`ci.yml: job ${name} does not run in a debian:12 container (the scripts install Debian 12 packages)`);
      }
      const caches = stepsOf(job).filter((s) => uses(s, 'actions/cache')).map((s) => String(s.with?.path ?? ''));
      if (!caches.some((p) => p.includes('.cache/ccache'))) {
        out.push(`ci.yml: job ${name} does not cache ~/.cache/ccache`);
      }
      const npmCached = stepsOf(job).some((s) => (uses(s, 'actions/setup-node') && s.with?.cache === 'npm'))
        || caches.some((p) => p.includes('.npm'));
      if (!npmCached) {
        out.push(`ci.yml: job ${name} does not cache npm`);
      }
      if (JSON.stringify(data.permissions) !== JSON.stringify({ contents: 'read' })) {
        out.push('ci.yml: top-level permissions must be exactly contents: read');
      }
      return out;
    },
  },
  'release.yml': {
    describe: 'builds once, scans before pushing, pushes through OIDC, commits the tag to both overlays without looping',
    check({ data, text }) {
      const out = [];
      const push = on(data).push ?? {};
      if (!(push.branches ?? []).includes('main') || !(push.tags ?? []).length) {
        out.push('release.yml: must run on pushes to main and on tags');
      }
      if (!(push['paths-ignore'] ?? []).some((p) => p.startsWith('deploy/k8s/overlays'))) {
        out.push('release.yml: the push trigger must ignore deploy/k8s/overlays/** (its own commits)');
      }
      const steps = allSteps(data);
      const builds = steps.filter((s) => uses(s, 'docker/build-push-action'));
      if (builds.length !== 1) {
        out.push(`release.yml: expected exactly one image build, found ${builds.length}`);
      } else if (builds[0].with?.push !== false && builds[0].with?.push !== 'false') {
        out.push('release.yml: the build must not push; the image is pushed only after the scan');
      }
      const scanAt = steps.findIndex((s) => uses(s, 'aquasecurity/trivy-action'));
      const firstPushAt = steps.findIndex((s) => typeof s.run === 'string' && /docker push/.test(s.run));
      if (scanAt < 0) {
        out.push('release.yml: the image is not scanned');
      } else if (String(steps[scanAt].with?.['exit-code'] ?? '0') === '0') {
        out.push('release.yml: the scan does not fail the job (exit-code 0)');
      }
      if (firstPushAt < 0) {
        out.push('release.yml: nothing pushes the image');
      } else if (scanAt > firstPushAt) {
        out.push('release.yml: the image is pushed before it is scanned');
      }
      for (const overlay of ['azure', 'gcp']) {
        if (!new RegExp(`deploy/k8s/overlays/${overlay}[^\\n]*kustomize edit set image "?chatd=`).test(text)) {
          out.push(`release.yml: does not run kustomize edit set image chatd=... in deploy/k8s/overlays/${overlay}`);
        }
      }
      if (!/github-actions\[bot\]/.test(text)) {
        out.push('release.yml: the overlay commit is not made by the github-actions[bot] identity');
      }
      if (!/\[skip ci\]/.test(text)) {
        out.push('release.yml: the overlay commit message lacks [skip ci]');
      }
      const foreignSecrets = [...text.matchAll(/secrets\.([A-Za-z0-9_]+)/g)].map((m) => m[1]).filter((s) => s !== 'GITHUB_TOKEN');
      if (foreignSecrets.length) {
        out.push(`release.yml: uses stored secrets ${foreignSecrets.join(', ')}; a personal token would let the commit start workflows again`);
      }
      for (const [name, job] of Object.entries(data.jobs ?? {})) {
        if (job.permissions?.['id-token'] === 'write' && job.environment !== 'release') {
          out.push(`release.yml: job ${name} gets an OIDC token outside the "release" environment the clouds trust`);
        }
      }
      return out;
    },
  },
  'infra.yml': {
    describe: 'runs terraform fmt -check, validate and an opt-in plan on changes under infra/',
    check({ data, text }) {
      const out = [];
      const trig = on(data);
      for (const t of ['pull_request', 'push']) {
        if (!(trig[t]?.paths ?? []).some((p) => p.startsWith('infra/'))) {
          out.push(`infra.yml: ${t} is not filtered to infra/**`);
        }
      }
      for (const cmd of ['terraform fmt -check', 'terraform validate', 'terraform plan']) {
        if (!text.includes(cmd)) {
          out.push(`infra.yml: never runs ${cmd}`);
        }
      }
      for (const [name, job] of Object.entries(data.jobs ?? {})) {
        if (job.permissions?.['id-token'] === 'write' && !/github\.event_name != 'pull_request'/.test(String(job.if ?? ''))) {
          out.push(`infra.yml: job ${name} gets cloud credentials on pull requests`);
        }
      }
      return out;
    },
  },
};
