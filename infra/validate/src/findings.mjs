// A check reports findings; an empty list means the check passed.
export class Report {
  constructor() {
    this.checks = [];
  }

  // Records the outcome of one named check and returns its findings for chaining in tests.
  add(name, findings) {
    this.checks.push({ name, findings });
    return findings;
  }

  get failed() {
    return this.checks.filter((c) => c.findings.length > 0);
  }

  print(out = console.log) {
    for (const { name, findings } of this.checks) {
      out(`${findings.length === 0 ? 'ok  ' : 'FAIL'} ${name}`);
      for (const f of findings) {
        out(`       ${f}`);
      }
    }
  }
}
