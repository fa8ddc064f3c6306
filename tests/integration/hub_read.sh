#!/usr/bin/env bash
# hub_read.sh — `serve --db-read URL` (issue 13, the next step of scale-out):
# the dashboard's Today reads from that database, everything else from --db.
# On SQLite and PostgreSQL: --db-read names a second database that differs
# (a location only there), so the answer shows where it was read. On
# PostgreSQL also a real streaming replica (pg_basebackup): a tap pushed to
# the primary shows in Today, read from the replica, within a bounded wait.
set -u
source tests/lib.sh
source tests/integration/hub_lib/hub.sh
source tests/integration/hub_lib/pg.sh
trap 'hub_stop_all; pg_stop' EXIT

today_has() {   # today_has TOKEN TEXT: Today's body contains TEXT
	[ "$(hreq GET "$HUB_URL/v1/dash/today" "$1")" = 200 ] && grep -q "$2" "$OUT/last.body"
}

# two NAME PRIMARY_URL READ_URL: Today from READ, a push and the login from PRIMARY
two() {
	local name=$1 p=$2 r=$3 code tok dtok st
	code=$("$HUB" demo --db "$p" | tail -n 1)
	"$HUB" demo --db "$r" >"$OUT/$name-demo.out" 2>&1
	"$HUB" location create --db "$r" --org "$(sed -n 's/^demo organisation \([^ ]*\) .*/\1/p' \
		"$OUT/$name-demo.out")" --name "Alleen in de leesdatabase" >/dev/null
	if ! hub_start "$p" --db-read "$r"; then
		t_fail "$name: serve --db-read starts" "$(tail -n 2 "$OUT"/hub-*.log)"
		return
	fi
	tok=$(login demo@presentie.test presentie-demo)
	t_check "$name: Today is read from --db-read" today_has "$tok" "Alleen in de leesdatabase"
	dtok=$(enrol "$code")
	gen_batch "$OUT/$name.json" 1 1 uuidbase=0193c0de
	st=$(hreq POST "$HUB_URL/v1/events" "$dtok" --data-binary @"$OUT/$name.json")
	t_eq "$name: a push with --db-read is stored in --db" "200 1" "$st $(jget 'd["acked_seq"]')"
	hub_stop_all
	hub_start "$p"
	tok=$(login demo@presentie.test presentie-demo)
	if today_has "$tok" "Alleen in de leesdatabase"; then
		t_fail "$name: without --db-read Today is read from --db" "shows the other database"
	else
		t_ok "$name: without --db-read Today is read from --db"
	fi
	hub_stop_all
}

rm -f "$OUT"/a.db* "$OUT"/b.db*
two sqlite "sqlite:$OUT/a.db" "sqlite:$OUT/b.db"
if ! pg_start; then
	t_fail "postgresql: server started" "pg_start failed"
	exit 1
fi
two postgresql "$(pg_createdb presentie_a)" "$(pg_createdb presentie_b)"

# A streaming replica: Today follows the primary with the replica's delay.
url=$(pg_createdb presentie_primary)
code=$("$HUB" demo --db "$url" | tail -n 1)
if ! pg_replica_start; then
	t_fail "postgresql replica: pg_basebackup and start" "see $OUT"
	exit 1
fi
hub_start "$url" --db-read "$(pg_replica_url presentie_primary)"
tok=$(login demo@presentie.test presentie-demo)
dtok=$(enrol "$code")
# p01 checks in at ws-04, the session running now in the demo
gen_batch "$OUT/rep.json" 1 1 person=p01 session=ws-04 wall0="$(($(date +%s) * 1000))" uuidbase=0193c0df
st=$(hreq POST "$HUB_URL/v1/events" "$dtok" --data-binary @"$OUT/rep.json")
t_eq "postgresql replica: the tap is pushed to the primary" 200 "$st"
# the check-in's time, as Today prints it, appears once the replica has it
t_check "postgresql replica: Today (read from the replica) shows the tap within 10 s" \
	wait_until 10 today_has "$tok" '"check_in": *"20'
t_eq "postgresql replica: the replica refuses writes (it is one)" "t" \
	"$(pg_as "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_REPLICA_PORT" -U postgres -d presentie_primary -Atc 'SELECT pg_is_in_recovery()')"
t_done
