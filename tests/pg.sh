# shellcheck shell=bash
# pg.sh — a throwaway PostgreSQL server for tests and benches (sourced after
# tests/lib.sh, not run). pg_start makes a cluster in a temporary folder
# (as the `postgres` user when run as root: initdb refuses root), starts it
# on a free 127.0.0.1 port with its socket in that folder, creates database
# `presentie` and sets PG_URL. pg_stop stops it and removes the folder; call
# it from the script's EXIT trap. Every wait is bounded (pg_ctl -t).
#   PG_URL=postgresql://postgres@127.0.0.1:PORT/presentie

if [ -z "${PG_BIN:-}" ]; then
	for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && PG_BIN=$d; done
fi
PG_DIR=''
PG_PORT=''
# shellcheck disable=SC2034  # read by the scripts that source this file
PG_URL=''

_pg_as() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

# pg_start [NAME]: 0 when the server accepts connections, else 1 (log in $OUT).
pg_start() {
	local name=${1:-pg}
	[ -x "$PG_BIN/initdb" ] || { echo "pg.sh: no PostgreSQL under '$PG_BIN'" >&2; return 1; }
	PG_DIR=$(mktemp -d /tmp/presentie-pg.XXXXXX) || return 1
	[ "$(id -u)" -eq 0 ] && chown postgres: "$PG_DIR"
	chmod 700 "$PG_DIR"
	PG_PORT=$(free_port)
	if ! _pg_as "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U postgres -E UTF8 \
	    --no-sync >"$OUT/$name-initdb.log" 2>&1; then
		echo "pg.sh: initdb failed (see $OUT/$name-initdb.log)" >&2
		return 1
	fi
	if ! _pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 30 \
	    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR -c max_connections=100" \
	    start >"$OUT/$name-start.log" 2>&1; then
		cp "$PG_DIR/server.log" "$OUT/$name-server.log" 2>/dev/null
		echo "pg.sh: the server did not start (see $OUT/$name-server.log)" >&2
		return 1
	fi
	if ! _pg_as "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres presentie \
	    >>"$OUT/$name-start.log" 2>&1; then
		echo "pg.sh: createdb failed" >&2
		return 1
	fi
	PG_URL="postgresql://postgres@127.0.0.1:$PG_PORT/presentie"
	return 0
}

# pg_stop: stop the server (fast shutdown, bounded) and remove its folder.
pg_stop() {
	[ -n "$PG_DIR" ] || return 0
	if [ -d "$PG_DIR/data" ]; then
		_pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w -t 30 stop >/dev/null 2>&1
		cp "$PG_DIR/server.log" "$OUT/pg-server.log" 2>/dev/null
	fi
	rm -rf "$PG_DIR"
	PG_DIR=''
	# shellcheck disable=SC2034  # read by the scripts that source this file
	PG_URL=''
}
