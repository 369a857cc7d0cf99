#!/usr/bin/env bash
# bench-distribution.sh measures the CNCF distribution registry (the pinned
# .tools/bin/registry) with filesystem storage in a fresh temporary directory,
# through scripts/bench.sh. Extra arguments go to wharf-bench, e.g.
#
#   scripts/bench-distribution.sh --sizes 16MiB --duration 2s --images 50
#
# The configuration is distribution's usual one (filesystem storage, the
# in-memory blob descriptor cache) with the access log off and the log level
# at error, so logging costs no throughput. Set BENCH_TMP to put the data
# directory on another filesystem (default: $TMPDIR or /tmp).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$root/scripts/install-tools.sh" >/dev/null
version=$(awk -F@ '{print $2}' "$root/.tools/bin/.registry.stamp")

port=${BENCH_PORT:-}
if [[ -z "$port" ]]; then
	for _ in $(seq 50); do
		port=$((20000 + RANDOM % 20000))
		(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || break
	done
fi

tmp=$(mktemp -d "${BENCH_TMP:-${TMPDIR:-/tmp}}/bench-distribution.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/config.yml" <<YAML
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $tmp/data
  cache:
    blobdescriptor: inmemory
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
YAML

bash "$root/scripts/bench.sh" "distribution-$version" "http://127.0.0.1:$port" "$@" -- \
	"$root/.tools/bin/registry" serve "$tmp/config.yml"
