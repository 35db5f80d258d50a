#!/bin/sh
# A private PostgreSQL server for the tests: its own data directory, its own
# port on loopback and a unix socket in the directory, trust for local
# connections only.  start prints the URL of its database civstat_test;
# stop stops it and removes the directory, and never fails; down and up
# stop the running server (as a crash would) and start it again, keeping
# its data, for the tests that restart PostgreSQL under civstat.
# usage: sh scripts/pg.sh start|stop|down|up DIR PORT
set -eu
cmd=${1:-} dir=${2:-} port=${3:-}
if [ -z "$cmd" ] || [ -z "$dir" ] || [ -z "$port" ]; then
	echo "usage: pg.sh start|stop|down|up DIR PORT" >&2
	exit 2
fi
BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

# initdb and the server refuse to run as root: then they run as postgres,
# which must own the directory.
as_owner() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

serve() {
	as_owner "$BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
		-o "-c listen_addresses=127.0.0.1 -p $port -k $dir \
		    -c max_connections=100 -c shared_buffers=32MB" \
		start >/dev/null || {
		cat "$dir/server.log" >&2
		exit 1
	}
}

case $cmd in
down)
	as_owner "$BIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null
	;;
up)
	serve
	;;
start)
	rm -rf "$dir"
	mkdir -p "$dir"
	[ "$(id -u)" = 0 ] && chown postgres: "$dir"
	as_owner "$BIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 \
		--locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || {
		cat "$dir/initdb.log" >&2
		exit 1
	}
	# Loopback and a socket in dir only; no shared memory games, small
	# and quick to stop.
	serve
	as_owner "$BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres \
		civstat_test
	echo "postgres://postgres@127.0.0.1:$port/civstat_test"
	;;
stop)
	if [ -d "$dir/data" ]; then
		as_owner "$BIN/pg_ctl" -D "$dir/data" -m immediate -w stop \
			>/dev/null 2>&1 || true
	fi
	rm -rf "$dir"
	;;
*)
	echo "pg.sh: unknown command $cmd" >&2
	exit 2
	;;
esac
