# Shared by the scripts: sourced, never run.

# need_packages PKG...: installs the Debian packages that are missing (needs root; CI and the dev
# machines run as root). Idempotent and quick when everything is there.
need_packages() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  ((${#missing[@]} == 0)) && return 0
  if [[ $(id -u) != 0 ]]; then
    echo "missing Debian packages: ${missing[*]} (run as root, or install them)" >&2
    return 1
  fi
  if [[ -z "${CHATD_APT_UPDATED:-}" ]]; then
    apt-get update -qq
    export CHATD_APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# The packages that build chatd and run its C++ tests.
CHATD_BUILD_PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git
  libboost1.81-dev libpqxx-dev nlohmann-json3-dev libspdlog-dev libfmt-dev libssl-dev
  libgtest-dev libgmock-dev libbenchmark-dev libcli11-dev
  postgresql prometheus
)

# free_port: prints a TCP port that nothing listens on right now.
free_port() {
  python3 - <<'PY' 2>/dev/null || node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()
PY
}

step() { printf '\n==> %s\n' "$*"; }
