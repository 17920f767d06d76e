import assert from 'node:assert/strict';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { terraformContract } from '../src/contract.mjs';
import { Report } from '../src/findings.mjs';
import { checkTerraform } from '../src/terraform-checks.mjs';
import { append, assertOnlyFailure, cleanup, copyOf, findingsOf, mutate, repoRoot } from './helpers.mjs';

async function check(root) {
  const report = new Report();
  await checkTerraform(root, terraformContract, report, { repoRoot });
  return report;
}

describe('terraform checks on the real configuration', () => {
  it('pass on infra/terraform', async () => {
    const report = await check(path.join(repoRoot, 'infra/terraform'));
    assert.deepEqual(report.failed.map((c) => `${c.name}: ${c.findings.join('; ')}`), []);
    assert.ok(report.checks.length >= 17, `only ${report.checks.length} checks ran`);
  });
});

// Each case breaks one thing in a copy of infra/terraform and expects exactly one check to catch it.
const cases = [
  ['an undeclared variable', 'modules/azure-network/main.tf', '  tags                = var.tags\n}', '  tags                = merge(var.tags, var.extra_tags)\n}',
    'terraform: every var.x', /var\.extra_tags, which is not declared/],
  ['a variable without a description', 'modules/azure-aks/variables.tf',
    '  description = "Resource group for the cluster."\n', '',
    'terraform: every var.x', /variable "resource_group_name" has no real description/],
  ['a variable without a type', 'gcp/variables.tf', '  type        = bool\n  default     = true\n}', '  default     = true\n}',
    'terraform: every var.x', /variable "deletion_protection" has no type/],
  ['a validation that does not test its variable', 'azure/variables.tf',
    'condition     = contains(["Basic", "Standard", "Premium"], var.acr_sku)', 'condition     = true',
    'terraform: every var.x', /validation of variable "acr_sku" has a condition that does not test/],
  ['a variable nobody uses', 'modules/azure-network/variables.tf', 'variable "tags" {',
    'variable "unused_setting" {\n  description = "A setting that nothing reads."\n  type        = string\n  default     = ""\n}\n\nvariable "tags" {',
    'terraform: every declared variable and local', /variable "unused_setting" is declared but never used/],
  ['an undefined local', 'azure/outputs.tf', 'local.chat_host', 'local.chat_hostname',
    'terraform: every local.x', /local\.chat_hostname, which is not defined/],
  ['a reference to an undeclared resource', 'azure/main.tf', 'acr_id                     = azurerm_container_registry.this.id',
    'acr_id                     = azurerm_container_registry.main.id',
    'terraform: every resource and data', /azurerm_container_registry\.main, which is not declared/],
  ['a reference to an undeclared data source', 'azure/secrets.tf', 'tenant_id                  = data.azurerm_client_config.current.tenant_id',
    'tenant_id                  = data.azurerm_client_config.me.tenant_id',
    'terraform: every resource and data', /data\.azurerm_client_config\.me, which is not declared/],
  ['a module output that does not exist', 'azure/secrets.tf', 'module.aks.oidc_issuer_url', 'module.aks.oidc_issuer',
    'terraform: module calls', /module\.aks\.oidc_issuer, but \.\.\/modules\/azure-aks has no such output/],
  ['an input the module does not declare', 'gcp/main.tf', '  release_channel            = var.release_channel\n',
    '  release_channel            = var.release_channel\n  autopilot                  = true\n',
    'terraform: module calls', /passes "autopilot", which \.\.\/modules\/gcp-gke does not declare/],
  ['a missing required module input', 'azure/main.tf', '  acr_id              = azurerm_container_registry.this.id\n  tags                = local.tags\n\n  plan_environment', '  tags                = local.tags\n\n  plan_environment',
    'terraform: module calls', /module "github_oidc" does not pass required input "acr_id"/],
  ['an output without a description', 'modules/gcp-gke/outputs.tf', '  description = "Region of the cluster."\n', '',
    'terraform: every output', /output "location" has no real description/],
  ['a provider that is not pinned in a root', 'gcp/versions.tf', 'version = "~> 6.14"', 'version = ">= 6.14"',
    'terraform: every provider', /provider "google" is not pinned in a root/],
  ['a module provider without an upper bound', 'modules/azure-postgres/versions.tf', 'version = ">= 3.6.0, < 4.0.0"', 'version = ">= 3.6.0"',
    'terraform: every provider', /provider "random" has no upper bound/],
  ['a resource whose provider is not declared', 'modules/gcp-cloudsql/versions.tf',
    /    random = \{\n[^}]*\}\n/, '',
    'terraform: every provider', /random_password needs provider "random"/],
  ['no required_version', 'modules/gcp-network/versions.tf', '  required_version = ">= 1.9.0"\n', '',
    'terraform: every provider', /required_version is not set/],
  ['a literal password', 'modules/azure-postgres/main.tf', 'administrator_password        = random_password.admin.result',
    'administrator_password        = "Sup3rSecret-password"',
    'terraform: no secrets', /administrator_password is set to a literal/],
  ['a hard-coded production domain', 'modules/azure-aks/main.tf', '  dns_prefix          = var.name', '  dns_prefix          = "chat-jungyu.store"',
    'terraform: domains', /hard-codes "jungyu\.store"/],
  ['a backend with hard-coded settings', 'azure/versions.tf', 'backend "azurerm" {}', 'backend "azurerm" {\n    container_name = "tfstate"\n  }',
    'terraform root azure: remote-state', /hard-codes container_name/],
  ['the wrong backend', 'gcp/versions.tf', 'backend "gcs" {}', 'backend "s3" {}',
    'terraform root gcp: remote-state', /expected gcs/],
  ['an output an overlay names in a comment', 'azure/outputs.tf', 'output "key_vault_uri" {', 'output "vault_uri" {',
    'terraform root azure: every "terraform output', /overlays\/azure\/secretstore\.yaml names terraform output "key_vault_uri"/,
    ['terraform root azure: every output the docs']],
  ['an output the guide tells the owner to copy', 'gcp/outputs.tf', 'output "registry_host" {', 'output "registry_hostname" {',
    'terraform root gcp: every output the docs', /lists output "registry_host", which this root does not have/,
    ['terraform root gcp: outputs the overlays']],
  ['a missing output the workflows and docs rely on', 'gcp/outputs.tf', 'output "ingress_ip_address" {', 'output "ingress_address" {',
    'terraform root gcp: outputs', /output "ingress_ip_address" is missing/,
    ['terraform root gcp: every output the docs']],
  ['a renamed Key Vault secret', 'azure/secrets.tf', 'name         = "chatd-admin-token"', 'name         = "admin-token"',
    'terraform root azure: names shared', /nothing mentions "chatd-admin-token"/],
  ['example.tfvars setting an unknown variable', 'gcp/example.tfvars', 'sql_tier ', 'sql_machine ',
    'terraform root gcp: example.tfvars', /sets "sql_machine", which is not a variable/],
  ['example.tfvars missing a required variable', 'azure/example.tfvars', /subscription_id *= "[^"]*"\n/, '',
    'terraform root azure: example.tfvars', /does not set required variable "subscription_id"/],
];

describe('terraform checks catch a broken configuration', () => {
  const dirs = [];
  after(async () => Promise.all(dirs.map(cleanup)));

  for (const [what, file, from, to, checkName, pattern, alsoFailing] of cases) {
    it(`reject ${what}`, async () => {
      const root = await copyOf('infra/terraform');
      dirs.push(root);
      await mutate(path.join(root, file), from, to);
      assertOnlyFailure(await check(root), checkName, pattern, alsoFailing);
    });
  }

  it('reject a file that does not parse', async () => {
    const root = await copyOf('infra/terraform');
    dirs.push(root);
    await append(path.join(root, 'azure/main.tf'), '\nresource "azurerm_resource_group" "broken" {\n  name = \n');
    // The other checks then miss what main.tf declares, so only this check's own finding matters.
    const findings = findingsOf(await check(root), 'terraform: every .tf file');
    assert.ok(findings.some((f) => /azure\/main\.tf/.test(f)), findings.join('\n'));
  });

  it('reject a renamed variable that an overlay names in a comment', async () => {
    const root = await copyOf('infra/terraform');
    dirs.push(root);
    await mutate(path.join(root, 'gcp/variables.tf'), 'variable "region" {', 'variable "gcp_region" {');
    // The root's own references to var.region break too; this check must name the overlay.
    const findings = findingsOf(await check(root), 'terraform root gcp: every "terraform output');
    assert.ok(findings.some((f) => /overlays\/gcp\/secretstore\.yaml names terraform variable "region"/.test(f)), findings.join('\n'));
  });

  it('reject a default password and a private key', async () => {
    const root = await copyOf('infra/terraform');
    dirs.push(root);
    await append(path.join(root, 'gcp/variables.tf'),
      '\nvariable "db_password" {\n  description = "Password of the database."\n  type        = string\n  default     = "changeme-please"\n}\n');
    await append(path.join(root, 'gcp/main.tf'), '\n# -----BEGIN RSA PRIVATE KEY-----\n');
    const report = await check(root);
    const text = report.failed.flatMap((c) => c.findings).join('\n');
    assert.match(text, /variable "db_password" looks like a secret and has a default value/);
    assert.match(text, /looks like a PEM private key/);
  });

  it('reject a tree with no Terraform at all', async () => {
    const root = await copyOf('infra/validate/test');
    dirs.push(root);
    const report = await check(root);
    assert.ok(report.failed.length > 0);
  });
});
