#!/usr/bin/env bash
# scripts/build.sh [PRESET]: installs the build dependencies and builds chatd with a CMake preset
# (dev, release, asan, tsan; default release) into build/PRESET.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
preset=${1:-release}
need_packages "${CHATD_BUILD_PACKAGES[@]}"
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j "$(nproc)"
