#!/usr/bin/env bash
# libFuzzer targets (fuzz/): built with clang, AddressSanitizer and UBSan into build/fuzz, then each
# run for a bounded time from its committed seed corpus, all at once. A crash, a
# leak, a hang or a broken invariant fails the stage and leaves the input in build/fuzz/artifacts/.
#   CHATD_FUZZ_SECONDS   seconds per target (default 60)
#   CHATD_FUZZ_TARGETS   which targets (default: fuzz_protocol fuzz_http fuzz_frames)
# Reproduce a failure: build/fuzz/fuzz/<target> build/fuzz/artifacts/<target>-crash-<hash>
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib.sh

seconds=${CHATD_FUZZ_SECONDS:-60}
targets=${CHATD_FUZZ_TARGETS:-"fuzz_protocol fuzz_http fuzz_frames"}
if ! [[ $seconds =~ ^[1-9][0-9]*$ ]]; then
  echo "CHATD_FUZZ_SECONDS must be a positive whole number of seconds, got '$seconds'" >&2
  exit 2
fi
for target in $targets; do
  if [[ ! -d fuzz/corpus/$target ]]; then
    echo "unknown fuzz target '$target' (no fuzz/corpus/$target)" >&2
    exit 2
  fi
done

# Longest input per target: a WebSocket frame may be 16 KiB; an HTTP request 8 KiB of header plus
# 16 KiB of body (http_session's limits), so longer inputs reach no new code. Frames: a few
# headers and payloads past the small message limits the target picks reach every rule.
declare -A max_len=([fuzz_protocol]=16384 [fuzz_http]=24576 [fuzz_frames]=4096)

need_packages "${CHATD_BUILD_PACKAGES[@]}" clang libclang-rt-14-dev
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
# Objects compiled in another clone of the repository (CI's) are reused: paths are made relative
# and the working directory is left out of the hash of debug builds. chatd_net's precompiled header
# is cacheable with these sloppiness settings (fuzz/CMakeLists.txt drops the header's timestamp).
export CCACHE_BASEDIR=$PWD CCACHE_NOHASHDIR=1
export CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime

build=build/fuzz
step "build the fuzz targets (clang, ASan + UBSan)"
start=$SECONDS
# -O1 with line tables: symbolised stack traces, a faster build than -O2 -g, and assertions (no
# NDEBUG), so nlohmann::json's and chatd's own assert()s also stop on a bad input.
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" \
  -DCMAKE_CXX_COMPILER=clang++ -DCHATD_BUILD_FUZZ=ON -DCHATD_BUILD_TESTS=OFF -DCHATD_BUILD_BENCH=OFF >/dev/null
# shellcheck disable=SC2086 # $targets is a list
cmake --build "$build" -j 2 --target $targets
echo "built in $((SECONDS - start)) s"

step "fuzz each target for $seconds s"
mkdir -p "$build/artifacts" "$build/logs"
declare -A pids
for target in $targets; do
  # New inputs go to build/fuzz/corpus/<target>, so the committed seeds stay small and reviewed.
  mkdir -p "$build/corpus/$target"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$build/fuzz/$target" -max_total_time="$seconds" -timeout=30 -max_len="${max_len[$target]:-4096}" \
    -dict="fuzz/$target.dict" -print_final_stats=1 -artifact_prefix="$build/artifacts/$target-" \
    "$build/corpus/$target" "fuzz/corpus/$target" >"$build/logs/$target.log" 2>&1 &
  pids[$target]=$!
done

passed=0 failed=0
for target in $targets; do
  log=$build/logs/$target.log
  if wait "${pids[$target]}"; then
    passed=$((passed + 1))
    # The last status line has coverage (cov: edges, ft: features, corp: inputs kept).
    status=$(grep -aE '^#[0-9]+' "$log" | tail -n 1)
    runs=$(grep -a 'stat::number_of_executed_units' "$log" | awk '{print $2}')
    rate=$(grep -a 'stat::average_exec_per_sec' "$log" | awk '{print $2}')
    cov=$(sed -nE 's/.* cov: ([0-9]+) ft: ([0-9]+) corp: ([0-9]+)\/.*/\1 edges, \2 features, \3 inputs in corpus/p' <<<"$status")
    echo "$target: ok, ${runs:-?} executions in $seconds s (${rate:-?}/s), coverage ${cov:-unknown}"
  else
    failed=$((failed + 1))
    echo "$target: FAILED (log: $log)"
    grep -aE 'invariant broken|value \(|Assertion|runtime error|ERROR: |SUMMARY: |^    #[0-9]+ .* in (chatd|LLVMFuzzerTestOneInput|\(anonymous)|Test unit written' "$log" | head -n 40 || tail -n 40 "$log"
  fi
done
echo "fuzz: $passed passed, $failed failed"
((failed == 0))
