#!/usr/bin/env bash
# test-deps.sh installs everything the test suite needs, idempotently:
#
#   - Debian packages for the container clients: skopeo podman buildah crun
#     fuse-overlayfs; and zip and unzip, which check the Spice packages
#     Wharf generates (apt-get runs only when one of them is missing);
#   - the pinned Go tools in .tools/bin (scripts/install-tools.sh).
#
# PostgreSQL is handled by scripts/ensure-postgres.sh. With --check it also
# runs scripts/check-clients.sh, which pushes and pulls a tiny image with
# every client against a throwaway distribution registry.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

sudo=()
if [[ $EUID -ne 0 ]]; then
	sudo=(sudo)
fi

installed() {
	[[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" == "install ok installed" ]]
}

debs=(skopeo podman buildah crun fuse-overlayfs zip unzip)
missing=()
for p in "${debs[@]}"; do
	installed "$p" || missing+=("$p")
done
if ((${#missing[@]})); then
	echo "test-deps: installing ${missing[*]}"
	"${sudo[@]}" apt-get update -qq
	DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
	echo "test-deps: Debian packages present (${debs[*]})"
fi

bash "$root/scripts/install-tools.sh"

if [[ "${1:-}" == "--check" ]]; then
	bash "$root/scripts/check-clients.sh"
fi
