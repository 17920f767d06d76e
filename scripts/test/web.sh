#!/usr/bin/env bash
# Stage "web": the web UI's typecheck, unit tests and build, then the browser suite against a real
# chatd and PostgreSQL (Debian's Chromium driven by playwright-core). Screenshots land in
# web/test-results/screenshots/. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib.sh

# Node comes with the machine image (20.19+ is needed by Vite 8); Debian's own nodejs is older, so it
# is only the fallback on a machine that has no node at all.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  need_packages nodejs npm
fi
node -e 'const [a,b]=process.versions.node.split(".").map(Number); if (a<20||(a===20&&b<19)) { console.error(`node ${process.versions.node} is too old: the web UI needs 20.19+`); process.exit(1) }'
need_packages chromium fonts-noto-cjk fonts-noto-color-emoji postgresql

step "web: npm ci"
(cd web && npm ci --no-audit --no-fund --loglevel=error)

step "web: typecheck"
(cd web && npx tsc -b)

step "web: unit tests"
mkdir -p web/test-results
(cd web && npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/unit.json)

step "web: build"
(cd web && npm run build)
for f in index.html embed.html embed.js demo.html; do
  [[ -s web/dist/$f ]] || { echo "web build is missing dist/$f" >&2; exit 1; }
done

step "web: chatd for the browser suite"
if [[ -z "${CHATD_BIN:-}" && ! -x build/release/src/chatd ]]; then
  bash scripts/build.sh release
fi
export CHATD_BIN=${CHATD_BIN:-$PWD/build/release/src/chatd}
[[ -x "$CHATD_BIN" ]] || { echo "chatd binary not found at $CHATD_BIN" >&2; exit 1; }

pg_dir=.local/pg-web
pg_port=$(free_port)
cleanup() { bash scripts/postgres.sh stop "$pg_dir"; }
trap cleanup EXIT
# A cluster left running by an interrupted run listens on another port: stop it to start on ours.
bash scripts/postgres.sh stop "$pg_dir"
DATABASE_URL=$(bash scripts/postgres.sh start "$pg_dir" "$pg_port")
export DATABASE_URL

step "web: browser suite"
rm -rf web/test-results/screenshots web/test-results/chatd.log
(cd web && npx vitest run --config vitest.e2e.config.ts --reporter=verbose --reporter=json --outputFile.json=test-results/e2e.json)
echo "screenshots: $(ls web/test-results/screenshots/*.png | wc -l) in web/test-results/screenshots/"
# One plain summary line for both suites.
node -e '
  const r = ["unit", "e2e"].map((n) => require(`./web/test-results/${n}.json`));
  const passed = r.reduce((a, x) => a + x.numPassedTests, 0);
  const failed = r.reduce((a, x) => a + x.numFailedTests, 0);
  console.log(`web: ${passed} passed, ${failed} failed`);
'
