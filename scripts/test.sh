#!/usr/bin/env bash
# test.sh is the project's test command (also run by .ci/run).
#
# It installs what the tests need (scripts/test-deps.sh), makes PostgreSQL
# reachable (scripts/ensure-postgres.sh), then runs go vet and the whole test
# suite with the registry clients on PATH. It exits non-zero when vet, a
# build, or any test fails.
#
# Environment seen by the tests:
#   WHARF_TEST_POSTGRES_DSN  DSN of a database the PostgreSQL tests may use
#   WHARF_TEST_TOOLS=1       tests that drive the CLIs (podman, skopeo, oras,
#                            crane, regctl, buildah, registry, zip, unzip)
#                            must fail, not skip, when one is missing
#   PATH                     .tools/bin first
#
# Knobs:
#   WHARF_RACE_PKGS  packages also run under the race detector, default
#                    below; set it empty to skip the race run
#   WHARF_TEST_RUN   passed to go test -run
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

default_race="./internal/blob/... ./internal/auth/... ./internal/httpx/... ./internal/format/..."
race_pkgs=${WHARF_RACE_PKGS-$default_race}
run_args=()
if [[ -n "${WHARF_TEST_RUN:-}" ]]; then
	run_args=(-run "$WHARF_TEST_RUN")
fi

bash scripts/test-deps.sh || { echo "test.sh: test-deps.sh failed" >&2; exit 1; }
dsn=$(bash scripts/ensure-postgres.sh | tail -n 1)
if [[ "$dsn" != postgres://* ]]; then
	echo "test.sh: ensure-postgres.sh failed" >&2
	exit 1
fi
export WHARF_TEST_POSTGRES_DSN="$dsn"
export WHARF_TEST_TOOLS=1
export PATH="$root/.tools/bin:$PATH"
echo "test.sh: $(go version), postgres at $dsn"

(cd tools && go build -o "$root/.tools/bin/testsum" ./cmd/testsum) || exit 1
status=0

echo "== go vet"
if ! go vet ./...; then
	echo "test.sh: go vet failed"
	status=1
fi
if ! (cd tools && go vet ./... && go test -count=1 ./... >/dev/null); then
	echo "test.sh: tools module vet/test failed"
	status=1
fi

# Race run on the listed packages that exist.
race=()
for p in $race_pkgs; do
	[[ -d "${p%/...}" ]] && race+=("$p")
done
if ((${#race[@]})); then
	echo "== go test -race ${race[*]}"
	go test -race -count=1 -timeout 10m "${run_args[@]}" -json "${race[@]}" |
		testsum -label race -raw .tools/test-race.json
	((PIPESTATUS[0] == 0 && PIPESTATUS[1] == 0)) || status=1
fi

echo "== go test ./..."
start=$SECONDS
go test -count=1 -timeout 25m "${run_args[@]}" -json ./... |
	testsum -label tests -raw .tools/test.json | tee .tools/test-summary.txt
((PIPESTATUS[0] == 0 && PIPESTATUS[1] == 0)) || status=1
echo "test.sh: go test took $((SECONDS - start))s; raw events in .tools/test.json"

if ((status != 0)); then
	echo "test.sh: FAILED"
else
	echo "test.sh: all passed"
fi
# The counts line closes the output.
tail -n 1 .tools/test-summary.txt
exit "$status"
