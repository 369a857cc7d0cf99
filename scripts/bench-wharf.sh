#!/usr/bin/env bash
# bench-wharf.sh measures Wharf, built from this tree, through
# scripts/bench.sh: a fresh temporary data directory (SQLite metadata,
# filesystem blobs with fsync on, the defaults), one user "bench" whose
# namespace the benchmark pushes into, and the log level at warn so that
# access logs cost no throughput (distribution is measured with its access
# log off). Extra arguments go to wharf-bench, e.g.
#
#   scripts/bench-wharf.sh --sizes 16MiB --duration 2s --images 50
#
# Set BENCH_TMP to put the data directory on another filesystem (default:
# $TMPDIR or /tmp).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
mkdir -p "$root/.tools/bin"
(cd "$root" && go build -o .tools/bin/wharf ./cmd/wharf)

port=${BENCH_PORT:-}
if [[ -z "$port" ]]; then
	for _ in $(seq 50); do
		port=$((20000 + RANDOM % 20000))
		(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || break
	done
fi

tmp=$(mktemp -d "${BENCH_TMP:-${TMPDIR:-/tmp}}/bench-wharf.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
echo "$password" | "$root/.tools/bin/wharf" admin user create bench \
	--email bench@localhost --password-stdin --data "$tmp/data" >/dev/null

WHARF_LOG_LEVEL=warn WHARF_BENCH_PASSWORD="$password" \
	bash "$root/scripts/bench.sh" wharf "http://127.0.0.1:$port" --user bench --repo bench "$@" -- \
	"$root/.tools/bin/wharf" serve --addr "127.0.0.1:$port" --data "$tmp/data"
