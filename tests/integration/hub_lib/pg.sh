# shellcheck shell=bash
# pg.sh — a throw-away PostgreSQL server for hub tests (sourced, not run).
# pg_start: initdb into a temp dir (as the `postgres` system user when we are
# root: postgres refuses to run as root), listen on 127.0.0.1:<free port> and
# a unix socket in that dir, trust auth. pg_createdb NAME prints a URL.
# pg_stop: stop and remove. Every wait is bounded (pg_ctl -w -t).
# Tests run it with fsync off (-F: nothing they check needs a crash-safe
# disk); PG_DURABLE=1 (the benches) runs it as in production: fsync on,
# synchronous_commit on, full_page_writes on (PG_SETTINGS names them).
# pg_replica_start: a streaming replica of it (below).
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_DIR='' PG_PORT=''
PG_DURABLE=${PG_DURABLE:-0}
# shellcheck disable=SC2034  # read by the benches that source this file
PG_SETTINGS='fsync=off'

pg_as() {
	if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_start() {
	[ -x "$PG_BIN/initdb" ] || { echo "no PostgreSQL in $PG_BIN" >&2; return 1; }
	PG_DIR=$(mktemp -d /tmp/presentie-pg.XXXXXX) || return 1
	[ "$(id -u)" -eq 0 ] && chown postgres: "$PG_DIR"
	PG_PORT=$(free_port)
	local dur='-F'
	# shellcheck disable=SC2034  # read by the benches that source this file
	PG_SETTINGS='fsync=off'
	if [ "$PG_DURABLE" = 1 ]; then
		dur='-c fsync=on -c synchronous_commit=on -c full_page_writes=on'
		# shellcheck disable=SC2034
		PG_SETTINGS='fsync=on, synchronous_commit=on, full_page_writes=on'
	fi
	pg_as "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 \
		--locale=C >"$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log" >&2; return 1; }
	pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
		-o "-k $PG_DIR -p $PG_PORT -h 127.0.0.1 $dur -c max_connections=200" start >/dev/null ||
		{ cat "$PG_DIR/server.log" >&2; return 1; }
}

# pg_restart: stop and start the server with the same options (after ALTER
# SYSTEM of a setting that needs it, e.g. shared_preload_libraries).
pg_restart() {
	local dur='-F'
	[ "$PG_DURABLE" = 1 ] && dur='-c fsync=on -c synchronous_commit=on -c full_page_writes=on'
	pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
		-o "-k $PG_DIR -p $PG_PORT -h 127.0.0.1 $dur -c max_connections=200" restart >/dev/null ||
		{ cat "$PG_DIR/server.log" >&2; return 1; }
}

pg_createdb() {
	pg_as "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres "$1" || return 1
	echo "postgresql://postgres@127.0.0.1:$PG_PORT/$1"
}

# pg_fsync_rate: fsyncs per second of the disk under the server's data
# (pg_test_fsync, fdatasync of one 8 kB write, 2 s), or "?".
pg_fsync_rate() {
	local r
	r=$(pg_as "$PG_BIN/pg_test_fsync" -s 2 -f "$PG_DIR/fsync.test" 2>/dev/null |
		sed -n 's/^ *fdatasync *\([0-9.]*\) ops\/sec.*/\1/p' | head -n 1)
	echo "${r:-?}"
}
# pg_replica_start: a streaming replica of the server (pg_basebackup -R, hot
# standby) on 127.0.0.1:$PG_REPLICA_PORT; pg_replica_url NAME prints a URL
# of database NAME there. pg_stop stops it too.
PG_REPLICA_PORT=''
pg_replica_start() {
	[ -n "$PG_DIR" ] || return 1
	PG_REPLICA_PORT=$(free_port)
	pg_as "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$PG_PORT" -U postgres -D "$PG_DIR/replica" \
		-R -X stream -c fast >"$PG_DIR/basebackup.log" 2>&1 || { cat "$PG_DIR/basebackup.log" >&2; return 1; }
	pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/replica" -l "$PG_DIR/replica.log" -w -t 60 \
		-o "-k $PG_DIR -p $PG_REPLICA_PORT -h 127.0.0.1 -F -c max_connections=200" start >/dev/null ||
		{ cat "$PG_DIR/replica.log" >&2; return 1; }
}
pg_replica_url() { echo "postgresql://postgres@127.0.0.1:$PG_REPLICA_PORT/$1"; }

pg_stop() {
	[ -n "$PG_DIR" ] || return 0
	[ -n "$PG_REPLICA_PORT" ] && pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/replica" -w -t 30 -m fast stop >/dev/null 2>&1
	PG_REPLICA_PORT=
	pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -w -t 30 -m fast stop >/dev/null 2>&1
	rm -rf "$PG_DIR"
	PG_DIR=
}
