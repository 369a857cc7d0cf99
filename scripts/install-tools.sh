#!/usr/bin/env bash
# install-tools.sh installs the pinned registry clients into .tools/bin.
#
# oras, crane and regctl are built from the versions required in tools/go.mod
# (see tools/tools.go). The CNCF distribution registry is installed on its own
# with `go install …@version`, so it is built against exactly the dependency
# set it was released with instead of sharing a build list with the clients.
#
# Each binary has a stamp file recording the package and version it was built
# from; a binary whose stamp matches is left alone, so the script is cheap to
# run repeatedly. It needs the Go toolchain and the Go module proxy.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin="$root/.tools/bin"
mkdir -p "$bin"

DISTRIBUTION_VERSION=v3.1.2

# want NAME SPEC: succeeds when $bin/NAME exists and was built from SPEC.
current() {
	local name=$1 spec=$2
	[[ -x "$bin/$name" && -f "$bin/.$name.stamp" && "$(<"$bin/.$name.stamp")" == "$spec" ]]
}

# Clients pinned by tools/go.mod: name, module, main package.
clients=(
	"oras oras.land/oras oras.land/oras/cmd/oras"
	"crane github.com/google/go-containerregistry github.com/google/go-containerregistry/cmd/crane"
	"regctl github.com/regclient/regclient github.com/regclient/regclient/cmd/regctl"
)

pkgs=()
stamps=()
for entry in "${clients[@]}"; do
	read -r name module pkg <<<"$entry"
	version=$(cd "$root/tools" && go list -m -f '{{.Version}}' "$module")
	spec="$pkg@$version"
	if current "$name" "$spec"; then
		echo "install-tools: $name $version up to date"
		continue
	fi
	pkgs+=("$pkg")
	stamps+=("$name=$spec")
done

if ((${#pkgs[@]})); then
	echo "install-tools: building ${pkgs[*]}"
	(cd "$root/tools" && GOBIN="$bin" go install "${pkgs[@]}")
	for s in "${stamps[@]}"; do
		printf '%s\n' "${s#*=}" >"$bin/.${s%%=*}.stamp"
	done
fi

spec="github.com/distribution/distribution/v3/cmd/registry@$DISTRIBUTION_VERSION"
if current registry "$spec"; then
	echo "install-tools: registry $DISTRIBUTION_VERSION up to date"
else
	echo "install-tools: building $spec"
	(cd "$root" && GOBIN="$bin" GOFLAGS= go install "$spec")
	printf '%s\n' "$spec" >"$bin/.registry.stamp"
fi
