#!/usr/bin/env bash
# check-clients.sh proves that the container clients work on this machine:
# it starts the pinned CNCF distribution registry (.tools/bin/registry) on a
# free loopback port with filesystem storage in a temporary directory, builds
# a one-file image with buildah, and moves it around with podman, skopeo,
# oras, crane and regctl, all over plain HTTP. Everything it creates lives in
# the temporary directory and is removed on exit, including the registry.
#
# The flags used here are the ones the end-to-end tests need:
#   buildah/podman  --root DIR --runroot DIR --storage-driver vfs, --tls-verify=false
#   skopeo          --src-tls-verify=false --dest-tls-verify=false (inspect: --tls-verify=false)
#   oras            --plain-http
#   crane           --insecure
#   regctl          --host reg=HOST:PORT,tls=disabled
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin="$root/.tools/bin"
export PATH="$bin:$PATH"

tmp=$(mktemp -d)
regpid=
cleanup() {
	if [[ -n "$regpid" ]]; then
		kill "$regpid" 2>/dev/null || true
		wait "$regpid" 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'echo "check-clients: FAILED at line $LINENO: $BASH_COMMAND" >&2' ERR

step() { echo "check-clients: $*"; }

free_port() {
	local p
	for _ in $(seq 50); do
		p=$((20000 + RANDOM % 20000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return
		fi
	done
	return 1
}

port=$(free_port)
reg="127.0.0.1:$port"
cat >"$tmp/registry.yml" <<YAML
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $tmp/registry-data
  delete:
    enabled: true
http:
  addr: $reg
YAML
registry serve "$tmp/registry.yml" >"$tmp/registry.log" 2>&1 &
regpid=$!
for _ in $(seq 100); do
	curl -sf "http://$reg/v2/" >/dev/null && break
	sleep 0.1
done
curl -sf "http://$reg/v2/" >/dev/null
step "distribution $(registry --version | awk '{print $3}') listening on $reg"

store=(--root "$tmp/storage" --runroot "$tmp/run" --storage-driver vfs)
echo "hello from check-clients $$" >"$tmp/hello.txt"

step "buildah: build from scratch and push"
ctr=$(buildah "${store[@]}" from scratch)
buildah "${store[@]}" copy "$ctr" "$tmp/hello.txt" /hello.txt >/dev/null
buildah "${store[@]}" commit -q "$ctr" "$reg/check/img:1" >/dev/null
buildah "${store[@]}" rm "$ctr" >/dev/null
buildah "${store[@]}" push -q --tls-verify=false "$reg/check/img:1"

step "podman: pull and push"
pstore=(--root "$tmp/pstorage" --runroot "$tmp/prun" --storage-driver vfs)
podman "${pstore[@]}" pull -q --tls-verify=false "$reg/check/img:1" >/dev/null
podman "${pstore[@]}" push -q --tls-verify=false "$reg/check/img:1" "$reg/check/podman:1"

step "skopeo: copy and inspect"
skopeo copy -q --src-tls-verify=false --dest-tls-verify=false \
	"docker://$reg/check/img:1" "docker://$reg/check/skopeo:1"
want=$(skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$reg/check/img:1")
got=$(skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$reg/check/skopeo:1")
[[ "$want" == "$got" ]]

step "oras: push and pull"
(cd "$tmp" && oras push --plain-http "$reg/check/oras:1" hello.txt:text/plain >/dev/null)
mkdir "$tmp/oras-out"
oras pull --plain-http -o "$tmp/oras-out" "$reg/check/oras:1" >/dev/null
cmp "$tmp/hello.txt" "$tmp/oras-out/hello.txt"

step "crane: digest and copy"
[[ "$(crane --insecure digest "$reg/check/img:1")" == "$want" ]]
crane --insecure copy "$reg/check/img:1" "$reg/check/crane:1" 2>/dev/null
[[ "$(crane --insecure digest "$reg/check/crane:1")" == "$want" ]]

step "regctl: copy and list tags"
rc=(--host "reg=$reg,tls=disabled")
regctl "${rc[@]}" image copy "$reg/check/img:1" "$reg/check/regctl:1" >/dev/null
[[ "$(regctl "${rc[@]}" image digest "$reg/check/regctl:1")" == "$want" ]]
[[ "$(regctl "${rc[@]}" tag ls "$reg/check/regctl")" == 1 ]]

step "all clients work (image $want)"
