#!/bin/sh
# Makes a streaming replica (hot standby) of civstat's PostgreSQL primary:
# a base backup that streams its WAL, with a replication slot of its own
# and standby.signal plus primary_conninfo written (-R), then starts it.
# README, "Scale-out"; tests/pg/twonode.test.mjs runs it on loopback.
#
# usage: PRIMARY_HOST=10.0.0.10 PRIMARY_PORT=5432 REPLICATION_USER=replicator \
#        SLOT=replica1 DATA=/var/lib/postgresql/15/replica1 PORT=5432 \
#        sh deploy/replica-setup.sh
# The password comes from ~postgres/.pgpass, never the command line.
set -eu
: "${PRIMARY_HOST:?}" "${PRIMARY_PORT:=5432}" "${REPLICATION_USER:=replicator}"
: "${SLOT:?}" "${DATA:?}" "${PORT:=5432}"
BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
run() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

mkdir -p "$DATA"
[ "$(id -u)" = 0 ] && chown postgres: "$DATA"
chmod 700 "$DATA"
run "$BIN/pg_basebackup" -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" \
	-U "$REPLICATION_USER" -D "$DATA" -X stream -C -S "$SLOT" -R -c fast
run "$BIN/pg_ctl" -D "$DATA" -l "$DATA/replica.log" -w \
	-o "-p $PORT ${REPLICA_OPTIONS:-}" start
