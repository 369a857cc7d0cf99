#!/usr/bin/env bash
# ensure-postgres.sh makes a PostgreSQL server reachable on 127.0.0.1:5432
# with password-less (trust) access for user postgres over TCP and a database
# named "test", then prints its DSN as the last line of stdout. Progress goes
# to stderr.
#
# Order of attempts: an already running server is used as is; otherwise an
# existing local cluster on port 5432 is started; otherwise PostgreSQL is
# installed from Debian and its cluster started. pg_hba.conf is changed only
# when trust over TCP does not already work. WHARF_PG_PORT overrides the port.
set -euo pipefail

host=127.0.0.1
port=${WHARF_PG_PORT:-5432}
db=test

log() { echo "ensure-postgres: $*" >&2; }

sudo=()
if [[ $EUID -ne 0 ]]; then
	sudo=(sudo)
fi

reachable() {
	if command -v pg_isready >/dev/null; then
		pg_isready -q -h "$host" -p "$port"
	else
		(exec 3<>"/dev/tcp/$host/$port") 2>/dev/null
	fi
}

wait_ready() {
	for _ in $(seq 60); do
		reachable && return 0
		sleep 0.5
	done
	log "server on $host:$port did not become ready"
	return 1
}

# cluster prints "VERSION NAME" of the cluster configured for $port, if any.
cluster() {
	command -v pg_lsclusters >/dev/null || return 0
	pg_lsclusters -h 2>/dev/null | awk -v p="$port" '$3 == p { print $1, $2; exit }'
}

start_cluster() {
	local ver name
	read -r ver name <<<"$(cluster)"
	if [[ -z "${ver:-}" ]]; then
		ver=$(ls /usr/lib/postgresql | sort -V | tail -1)
		log "creating cluster $ver main"
		"${sudo[@]}" pg_createcluster --port "$port" "$ver" main >&2
		name=main
	fi
	log "starting cluster $ver $name"
	"${sudo[@]}" pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" start >&2 || true
	wait_ready
}

if ! reachable; then
	if ! command -v pg_ctlcluster >/dev/null || [[ ! -d /usr/lib/postgresql ]]; then
		log "installing postgresql from Debian"
		"${sudo[@]}" apt-get update -qq
		DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq postgresql >/dev/null
	fi
	reachable || start_cluster
fi

psql_tcp() {
	psql -X -w -q -h "$host" -p "$port" -U postgres "$@"
}

if ! psql_tcp -d postgres -tAc 'SELECT 1' >/dev/null 2>&1; then
	read -r ver name <<<"$(cluster)"
	hba="/etc/postgresql/$ver/$name/pg_hba.conf"
	log "enabling trust for postgres over TCP in $hba"
	"${sudo[@]}" sed -i '1i host all postgres 127.0.0.1/32 trust\nhost all postgres ::1/128 trust' "$hba"
	"${sudo[@]}" pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" reload >&2
	sleep 1
	psql_tcp -d postgres -tAc 'SELECT 1' >/dev/null
fi

if [[ "$(psql_tcp -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'")" != 1 ]]; then
	log "creating database $db"
	psql_tcp -d postgres -c "CREATE DATABASE $db" >/dev/null
fi

echo "postgres://postgres@$host:$port/$db?sslmode=disable"
