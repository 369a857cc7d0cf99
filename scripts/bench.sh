#!/usr/bin/env bash
# bench.sh measures one registry server with wharf-bench.
#
#   scripts/bench.sh NAME URL [WHARF_BENCH_FLAGS...] -- SERVER_COMMAND [ARGS...]
#
# It builds cmd/wharf-bench, starts SERVER_COMMAND in the background (its
# output goes to a temporary log, shown if the server fails to start),
# waits until URL/v2/ answers (200 or 401), runs wharf-bench with
# --pid of the server so its memory is reported, and stops the server. The
# JSON report goes to docs/bench/NAME.json and the printed table, preceded by
# the load average before and after, to docs/bench/NAME.txt.
#
# Example (distribution; see scripts/bench-distribution.sh):
#   scripts/bench.sh distribution-v3.1.2 http://127.0.0.1:5000 -- \
#       .tools/bin/registry serve /tmp/config.yml
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if (($# < 4)); then
	echo "usage: $0 NAME URL [wharf-bench flags...] -- SERVER_COMMAND [ARGS...]" >&2
	exit 2
fi
name=$1 url=$2
shift 2
flags=()
while (($#)) && [[ "$1" != "--" ]]; do
	flags+=("$1")
	shift
done
[[ "${1:-}" == "--" ]] || { echo "bench.sh: missing -- before the server command" >&2; exit 2; }
shift

out="$root/docs/bench"
mkdir -p "$out" "$root/.tools/bin"
(cd "$root" && go build -o .tools/bin/wharf-bench ./cmd/wharf-bench)

log=$(mktemp)
"$@" >"$log" 2>&1 &
pid=$!
stop() {
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	rm -f "$log"
}
trap stop EXIT

for _ in $(seq 200); do
	code=$(curl -s -o /dev/null -w '%{http_code}' "$url/v2/" || true)
	[[ "$code" == 200 || "$code" == 401 ]] && break
	if ! kill -0 "$pid" 2>/dev/null; then
		echo "bench.sh: server exited early:" >&2
		cat "$log" >&2
		exit 1
	fi
	sleep 0.1
done
[[ "$code" == 200 || "$code" == 401 ]] || { echo "bench.sh: $url/v2/ answered $code" >&2; cat "$log" >&2; exit 1; }

{
	echo "# $name, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs"
	echo "# load before: $(cut -d' ' -f1-3 /proc/loadavg)"
	"$root/.tools/bin/wharf-bench" --registry "$url" --label "$name" --pid "$pid" \
		--json "$out/$name.json" "${flags[@]}"
	echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out/$name.txt"
