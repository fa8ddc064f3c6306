#!/usr/bin/env bash
# sync_notify.sh — the running agent wakes the kiosk only for a change
# (issue 13): the real presentie-sync pulls every second from a real hub on
# loopback (SQLite and PostgreSQL) while an inotify watcher (the kiosk's
# walwatch.c: IN_CLOSE_WRITE | IN_MOVED_TO on the store's folder) counts the
# rewrites of DB.notify. With nothing changing, at least IDLE_CYCLES cycles
# (each with a pull) may rewrite it only when the minute of the last
# success (shown as HH:MM) turns; before the fix every cycle rewrote it.
# Then each real change must still wake it: a new tap that is delivered, a
# person imported and enrolled at the hub (the pull moves the changes
# cursor), the hub going away (error state).
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
. tests/integration/hub_lib/pg.sh
. tests/sync_lib.sh

IDLE_CYCLES=5           # agent cycles (pull interval 1 s) watched with nothing changing
WATCH_PID=''
trap '[ -n "$WATCH_PID" ] && kill "$WATCH_PID" 2>/dev/null; sync_cleanup' EXIT
sync_need || exit 1

# watch DIR NAME LOG: count IN_CLOSE_WRITE/IN_MOVED_TO of DIR/NAME, one line
# per event in LOG ("ready" first); runs in the background (WATCH_PID).
watch_start() {
	python3 - "$1" "$2" "$3" <<'EOF' &
import ctypes, os, struct, sys, select
d, name, log = sys.argv[1], sys.argv[2].encode(), sys.argv[3]
libc = ctypes.CDLL(None, use_errno=True)
fd = libc.inotify_init1(0)
IN_CLOSE_WRITE, IN_MOVED_TO = 0x8, 0x80
if fd < 0 or libc.inotify_add_watch(fd, d.encode(), IN_CLOSE_WRITE | IN_MOVED_TO) < 0:
    sys.exit(1)
out = open(log, "a", buffering=1)
out.write("ready\n")
while True:
    r, _, _ = select.select([fd], [], [], 120)
    if not r:
        sys.exit(0)           # bounded: the test is long over
    buf = os.read(fd, 65536)
    off = 0
    while off < len(buf):
        _, mask, _, ln = struct.unpack_from("iIII", buf, off)
        nm = buf[off + 16:off + 16 + ln].rstrip(b"\0")
        off += 16 + ln
        if nm == name:
            out.write("write\n")
EOF
	WATCH_PID=$!
}
writes() { grep -c '^write' "$WLOG" 2>/dev/null || echo 0; }
more_writes() { [ "$(writes)" -gt "$1" ]; }
last_try() { store_sql "$DB" "SELECT value FROM meta WHERE key = 'sync_last_try'"; }
cursor() { store_sql "$DB" "SELECT cursor FROM sync_state WHERE id = 1"; }
cursor_moved() { [ "$(cursor)" != "$1" ]; }
try_after() { local t; t=$(last_try); [ -n "$t" ] && [ "$t" -ge "$1" ]; }

notify_cases() {
	local B=$1 URL=$2 w0 w1 m0 m1 t0 t1 n c0
	DB=$OUT/$B/kiosk.db
	WLOG=$OUT/$B/watch.log
	mkdir -p "$OUT/$B"
	rm -f "$DB" "$DB"-* "$DB.notify" "$WLOG"
	sync_demo_enrolled "$URL" "$DB" "$B: " || return
	watch_start "$OUT/$B" kiosk.db.notify "$WLOG"
	wait_until 10 grep -q ready "$WLOG" || { t_fail "$B: inotify watcher" "did not start"; return; }
	agent_start "$DB" --pull-interval 1 --fast-pull-interval 0
	wait_until 15 more_writes 0 || { t_fail "$B: the agent's first cycle notifies" "no write"; return; }
	t_ok "$B: the agent's first cycle notifies the kiosk"

	# Idle: nothing changes at the hub or in the store.
	wait_until 15 try_after $(( $(date +%s) + 1 )) || true   # past the start-up cycles
	w0=$(writes) m0=$(( $(date +%s) / 60 )) t0=$(last_try)
	if ! wait_until 30 try_after $(( t0 + IDLE_CYCLES )); then
		t_fail "$B: $IDLE_CYCLES idle cycles" "sync_last_try stayed at $(last_try) (from $t0)"
		return
	fi
	w1=$(writes) m1=$(( $(date +%s) / 60 ))
	t_eq "$B: $IDLE_CYCLES+ idle cycles with pulls rewrite the notify file only when the minute of the last success turns ($(( m1 - m0 )) turns)" \
	    "$(( m1 - m0 ))" "$(( w1 - w0 > m1 - m0 ? w1 - w0 : m1 - m0 ))"

	# A tap: delivered by the agent; the kiosk must learn it is no longer waiting.
	w0=$(writes)
	"$FILL_BIN" add "$DB" 1 >/dev/null
	if wait_until 15 more_writes "$w0" && wait_until 15 pending_is "$DB" 0; then
		t_ok "$B: a delivered tap notifies the kiosk"
	else
		t_fail "$B: a delivered tap notifies the kiosk" "writes $w0 -> $(writes), pending $(store_pending "$DB")"
	fi

	# A person imported and enrolled at the hub: the pull moves the cursor.
	wait_until 10 pending_is "$DB" 0 || true
	t1=$(last_try)
	wait_until 10 try_after $(( t1 + 1 )) || true   # the tap's notify is done
	w0=$(writes) c0=$(cursor)
	printf 'person_id,display_name\nnx1,Nora Notify\n' >"$OUT/$B/people.csv"
	printf 'programme_id,person_id,active\nmjew-najaar,nx1,1\n' >"$OUT/$B/enrolments.csv"
	if ! "$HUB_BIN" import people "$OUT/$B/people.csv" --db "$URL" --org org-grubbehoeve \
	    >"$OUT/$B/import.log" 2>&1 ||
	    ! "$HUB_BIN" import enrolments "$OUT/$B/enrolments.csv" --db "$URL" \
	    --org org-grubbehoeve >>"$OUT/$B/import.log" 2>&1; then
		t_fail "$B: import a person at the hub" "see $OUT/$B/import.log"
	else
		n=0
		wait_until 15 cursor_moved "$c0" && n=1
		wait_until 5 more_writes "$w0" || true
		t_eq "$B: a pulled change (a new enrolment: the changes cursor moved) notifies the kiosk" \
		    "1 yes" "$n $(more_writes "$w0" && echo yes || echo no)"
	fi

	# The hub goes away: the error state is shown.
	w0=$(writes)
	hub_stop
	if wait_until 20 more_writes "$w0" && wait_until 10 grep -q '^error' "$DB.notify"; then
		t_ok "$B: an unreachable hub notifies the kiosk (error)"
	else
		t_fail "$B: an unreachable hub notifies the kiosk" "writes $w0 -> $(writes): $(cat "$DB.notify")"
	fi
	agent_stop
	kill "$WATCH_PID" 2>/dev/null
	wait "$WATCH_PID" 2>/dev/null
	WATCH_PID=''
	mv "$OUT/agent.log" "$OUT/agent-$B.log"
}

rm -rf "$OUT/sqlite" "$OUT/postgresql"
mkdir -p "$OUT/sqlite"
notify_cases sqlite "sqlite:$OUT/sqlite/hub.db"
if sync_pg_start; then
	notify_cases postgresql "$PG_URL"
else
	t_fail "postgresql: server starts" "see output above"
fi
t_done
