#!/usr/bin/env bash
# disk-rate.sh prints the durable sequential write rate of the filesystem
# holding DIR (default: $TMPDIR or /tmp): dd of 256 MiB and 1 GiB of zeros
# with conv=fdatasync, so the figure includes flushing to the device.
set -euo pipefail

dir=${1:-${TMPDIR:-/tmp}}
f=$(mktemp "$dir/disk-rate.XXXXXX")
trap 'rm -f "$f"' EXIT
echo "filesystem: $(df -h --output=source,fstype,size,avail "$dir" | tail -1)"
for count in 256 1024; do
	rm -f "$f"
	sync
	printf '%5d MiB: ' "$count"
	dd if=/dev/zero of="$f" bs=1M count="$count" conv=fdatasync 2>&1 | tail -1
done
