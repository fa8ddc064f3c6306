#!/usr/bin/env bash
# sync_requeue.sh — after the hub lost events this kiosk had delivered (issue
# 11 point 7), the running agent (`presentie-sync run`, not --once) sends
# them again at once, with no new tap: the hub's acked_seq in its changes
# answer (GET /v1/changes) below what the store marked delivered re-queues
# everything after it, and the same cycle pushes it. Real hub, real agent,
# the kiosk store filled through the store library (bench/sync_fill), on
# SQLite and on a PostgreSQL server this script starts:
#   A the hub's database restored from a copy taken before 15 of 25 events
#     (hub stopped, restored, started again while the agent runs)
#   B events deleted from a running hub's database (acked_seq put back)
#   C as B, then a new tap: the push answer re-queues (the older path)
# Each case measures the time from the loss to the hub holding every event
# again and ends with every check-in in the hub's export exactly once.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
. tests/integration/hub_lib/pg.sh
. tests/sync_lib.sh
trap sync_cleanup EXIT

sync_need || exit 1
REDELIVER_S=15       # bound of every wait for the re-delivery
FAST_MS=8000         # "at once": far below the agent's default 60 s pull interval

hubq() {   # hubq BACKEND URL SQL: one value from the hub's database
	if [ "$1" = sqlite ]; then sqlite3 -batch -noheader "${2#sqlite:}" ".timeout 5000" "$3"
	else psql -qAt "$2" -c "$3"; fi
}
# held BACKEND URL: "rows acked_seq" of this device at the hub, read in one
# statement (two would race the running agent's next push)
held() {
	hubq "$1" "$2" "SELECT (SELECT COUNT(*) FROM events WHERE device_id = '$DEV') || ' ' || acked_seq FROM devices WHERE id = '$DEV'"
}
held_is() { [ "$(held "$1" "$2")" = "$3" ]; }
now_ms() { date +%s%3N; }
store_max() { store_sql "$DB" "SELECT MAX(seq) FROM events"; }

# lose BACKEND URL KEEP: delete this device's events after seq KEEP from the
# hub's database and put its acked_seq and max_seq back, as a restore would.
lose() {
	hubq "$1" "$2" "DELETE FROM events WHERE device_id = '$DEV' AND seq > $3" >/dev/null
	hubq "$1" "$2" "UPDATE devices SET acked_seq = $3, max_seq = $3 WHERE id = '$DEV'" >/dev/null
}

# redelivered BACKEND URL NAME T0 N: ok if the hub holds N events of this
# device (acked N) within REDELIVER_S, in under FAST_MS since T0.
redelivered() {
	local t
	if wait_until "$REDELIVER_S" held_is "$1" "$2" "$5 $5"; then
		t=$(( $(now_ms) - $4 ))
		if [ "$t" -lt "$FAST_MS" ]; then
			t_ok "$3 (all $5 held again after $t ms)"
		else
			t_fail "$3" "took $t ms (bound $FAST_MS ms)"
		fi
	else
		t_fail "$3" "the hub holds (count acked) $(held "$1" "$2") after ${REDELIVER_S} s, the store $5 events, pending $(store_pending "$DB")"
	fi
}

backup() {   # backup BACKEND URL: a copy of the hub's database
	if [ "$1" = sqlite ]; then
		sqlite3 "${2#sqlite:}" ".timeout 5000" ".backup '$OUT/bak.db'"
	else
		hub_stop
		pg_as "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres -T presentie presentie_bak &&
		    hub_start "$2" "$HUB_PORT"
	fi
}
restore() {   # restore BACKEND URL: hub stopped, the copy back, hub started
	hub_stop
	if [ "$1" = sqlite ]; then
		sqlite3 "${2#sqlite:}" ".timeout 5000" ".restore '$OUT/bak.db'"
	else
		pg_as "$PG_BIN/dropdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres presentie &&
		    pg_as "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres -T presentie_bak presentie
	fi
	hub_start "$2" "$HUB_PORT"
}

requeue_cases() {
	local B=$1 URL=$2 t0 n
	DB=$OUT/$B/kiosk.db
	mkdir -p "$OUT/$B"
	: >"$OUT/agent.log"
	HUB_PORT=
	sync_demo_enrolled "$URL" "$DB" "$B: " || return
	DEV=$(store_sql "$DB" "SELECT value FROM meta WHERE key = 'device_id'")

	# A: 10 events, a copy of the hub, 15 more; the agent runs; the hub is restored.
	"$FILL_BIN" add "$DB" 10 >/dev/null
	"$SYNC_BIN" run --db "$DB" --once >>"$OUT/agent.log" 2>&1
	t_eq "$B: 10 events delivered" "10 10" "$(held "$B" "$URL")"
	backup "$B" "$URL" || { t_fail "$B: backup of the hub" "see output"; return; }
	"$FILL_BIN" add "$DB" 15 >/dev/null
	agent_start "$DB" --pull-interval 1 --max-backoff 1
	t_drained "$REDELIVER_S" "$DB" "$B: 25 delivered by the running agent" "$B: 25 delivered"
	t_eq "$B: the hub holds 25" "25 25" "$(held "$B" "$URL")"
	restore "$B" "$URL" || { t_fail "$B: restore of the hub" "see output"; return; }
	t0=$(now_ms)
	# (the store has none pending, or already the 15 again if the running
	# agent pulled between the restore and this line)
	n=$(store_pending "$DB")
	case $n in 0|15) n=ok ;; esac
	h=$(held "$B" "$URL")
	# (or, on a busy machine, all 25 again already: the agent was that quick)
	[ "$h" = "25 25" ] && h="10 10"
	t_eq "$B: A the restored hub holds 10 of the 25, the store 0 or 15 pending" "10 10 ok" "$h $n"
	redelivered "$B" "$URL" "$B: A hub restored from a copy: the running agent sends 11..25 again without a new tap" "$t0" 25

	# B: events lost under the running hub; the agent's next pull notices.
	lose "$B" "$URL" 20
	t0=$(now_ms)
	redelivered "$B" "$URL" "$B: B events 21..25 deleted at the hub: the running agent sends them again" "$t0" 25
	agent_stop
	t_check "$B: the agent said why it re-sends" grep -q "the hub holds every event only up to seq" "$OUT/agent.log"

	# C: the default 60 s pull interval; once the first cycle (with its pull)
	# is done, a loss, then a new tap: the push answer re-queues.
	rm -f "$DB.notify"
	agent_start "$DB" --max-backoff 1
	wait_until 10 test -s "$DB.notify" || t_fail "$B: C the agent's first cycle" "no $DB.notify"
	lose "$B" "$URL" 5
	"$FILL_BIN" add "$DB" 1 >/dev/null
	t0=$(now_ms)
	n=$(store_max)
	redelivered "$B" "$URL" "$B: C events 6..25 deleted at the hub, then a tap: 6..$n sent" "$t0" "$n"
	agent_stop
	t_exactly_once "$B: every check-in in the export exactly once" "$DB" "$URL"
	hub_stop
	mv "$OUT/agent.log" "$OUT/agent-$B.log"
}

rm -rf "$OUT/sqlite" "$OUT"/*.db* "$OUT"/agent*.log
requeue_cases sqlite "sqlite:$OUT/hub.db"
if sync_pg_start; then
	requeue_cases postgresql "$PG_URL"
else
	t_fail "postgresql: server starts" "see output above"
fi
t_done
