#!/usr/bin/env node
// Usage: node src/cli.mjs terraform <dir> | workflows <dir> | all <repo-root>
// Prints one line per check and exits 1 if any check failed, 2 on wrong usage.
import path from 'node:path';
import { workflowContract, terraformContract } from './contract.mjs';
import { Report } from './findings.mjs';
import { checkTerraform } from './terraform-checks.mjs';
import { checkWorkflows } from './workflow-checks.mjs';

const [what, target] = process.argv.slice(2);
if (!['terraform', 'workflows', 'all'].includes(what) || !target) {
  console.error('usage: cli.mjs terraform <dir> | workflows <dir> | all <repo-root>');
  process.exit(2);
}

const report = new Report();
try {
  if (what === 'terraform') {
    await checkTerraform(target, terraformContract, report);
  } else if (what === 'workflows') {
    await checkWorkflows(target, workflowContract, report);
  } else {
    await checkTerraform(path.join(target, 'infra/terraform'), terraformContract, report);
    await checkWorkflows(path.join(target, '.github/workflows'), workflowContract, report);
  }
} catch (err) {
  report.add('checks ran to the end', [String(err?.stack ?? err)]);
}
report.print();
const failed = report.failed.length;
console.log(`${report.checks.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
