#!/usr/bin/env bash
# C++ build (release preset, which the other stages also use) and every GoogleTest suite, unit and
# integration, against a private PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib.sh
scripts/build.sh release
url=$(scripts/postgres.sh start .local/pg-test "${CHATD_TEST_PG_PORT:-55433}")
export CHATD_TEST_DATABASE_URL=${url%/chatd}/postgres
ctest --preset release -j 2
