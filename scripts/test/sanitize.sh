#!/usr/bin/env bash
# The same suites under AddressSanitizer + UndefinedBehaviorSanitizer, and the threaded core
# (server integration tests) under ThreadSanitizer.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib.sh
url=$(scripts/postgres.sh start .local/pg-test "${CHATD_TEST_PG_PORT:-55433}")
export CHATD_TEST_DATABASE_URL=${url%/chatd}/postgres

step "ASan + UBSan"
scripts/build.sh asan
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --preset asan -j 2

step "TSan"
scripts/build.sh tsan
TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$PWD/tests/tsan.supp" ctest --preset tsan -j 2 -L integration
