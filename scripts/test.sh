#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs its own packages, starts its own PostgreSQL.
# CHATD_TEST_STAGES picks stages (default: all, in this order); each is scripts/test/<stage>.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
stages=${CHATD_TEST_STAGES:-"cpp sanitize fuzz web deploy infra"}
for stage in $stages; do
  step "stage $stage"
  start=$SECONDS
  bash "scripts/test/$stage.sh"
  echo "stage $stage passed in $((SECONDS - start)) s"
done
