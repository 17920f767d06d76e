#!/usr/bin/env bash
# The README's first command: builds chatd and its web UI, then runs chatd on http://localhost:8080
# against a private PostgreSQL under .local/pg (started here, kept between runs) unless
# DATABASE_URL points elsewhere. Extra arguments go to chatd (see docs/configuration.md).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

step "building chatd"
scripts/build.sh release
if [[ -z "${CHATD_SKIP_WEB:-}" ]]; then
  step "building the web UI"
  # Node comes with the machine image (Vite needs 20.19+); Debian's older nodejs is the fallback.
  command -v npm >/dev/null || need_packages nodejs npm
  (cd web && npm ci --no-audit --no-fund --loglevel=error && npm run build --silent)
fi
if [[ -z "${DATABASE_URL:-}" ]]; then
  step "starting PostgreSQL under .local/pg"
  DATABASE_URL=$(scripts/postgres.sh start .local/pg "${CHATD_PG_PORT:-55432}")
  export DATABASE_URL
fi
step "chatd on http://localhost:${CHATD_PORT:-8080} (demo blog post: /demo; metrics: :${CHATD_METRICS_PORT:-9090}/metrics)"
export CHATD_WEB_ROOT=${CHATD_WEB_ROOT:-web/dist}
exec build/release/src/chatd "$@"
