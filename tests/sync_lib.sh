# shellcheck shell=bash
# sync_lib.sh — helpers for the sync tests and the drain bench (sourced after
# tests/lib.sh, not run): start/stop/kill the real presentie-hub and
# presentie-sync on loopback, a kiosk store with queued events (sync_fill),
# and the check every sync test ends with: each check-in recorded by the
# kiosk is at the hub exactly once, and counted once per person per
# session. Every wait is bounded.
# Sets HUB_PID, HUB_PORT, HUB_URL, AGENT_PID, PROXY_PID. sync_cleanup stops
# whatever is still running (call it from the EXIT trap).

HUB_BIN=${HUB_BIN:-$BUILD/presentie-hub}
SYNC_BIN=$BUILD/presentie-sync
FILL_BIN=$BUILD/bench/sync_fill
HUB_PID='' HUB_PORT='' AGENT_PID='' PROXY_PID=''
# shellcheck disable=SC2034  # read by the scripts that source this file
HUB_URL=''

sync_need() {
	local b
	for b in "$HUB_BIN" "$SYNC_BIN" "$FILL_BIN"; do
		[ -x "$b" ] || { t_fail "binaries" "$b is missing (make tests first)"; return 1; }
	done
}

# hub_demo DBURL: seed the demo organisation; prints the enrolment code.
hub_demo() {
	"$HUB_BIN" demo --db "$1" >"$OUT/hub-demo.log" 2>&1 || return 1
	tail -n1 "$OUT/hub-demo.log" | tr -d '[:space:]'
}

# store_enrolled DB CODE: create the store, enrol it with the hub at HUB_URL
# and pull the roster once (log in $OUT/agent.log). 0 or 1.
store_enrolled() {
	"$FILL_BIN" init "$1" >/dev/null || return 1
	"$SYNC_BIN" enrol --hub "$HUB_URL" --code "$2" --db "$1" >>"$OUT/agent.log" 2>&1 || return 1
	"$SYNC_BIN" run --db "$1" --once >>"$OUT/agent.log" 2>&1
}

# sync_need_kiosk: sync_need, and the kiosk binary too.
sync_need_kiosk() {
	sync_need || return 1
	[ -x "$BUILD/presentie-kiosk" ] || { t_fail "kiosk" "$BUILD/presentie-kiosk is missing"; return 1; }
}

# sync_demo_enrolled DBURL DB [PREFIX]: the hub with the demo organisation
# on DBURL, serving (hub_start), and the store DB enrolled with it and the
# roster pulled (store_enrolled). 0, or 1 after a "not ok - PREFIX<step>".
sync_demo_enrolled() {
	local code
	if ! code=$(hub_demo "$1") || [ -z "$code" ]; then
		t_fail "${3:-}hub demo" "see $OUT/hub-demo.log"
		return 1
	fi
	hub_start "$1" || { t_fail "${3:-}hub serve" "see $OUT/hub.log"; return 1; }
	store_enrolled "$2" "$code" || { t_fail "${3:-}enrol and first pull" "see $OUT/agent.log"; return 1; }
}

# hub_alive: the hub answers HTTP (any status) on HUB_PORT.
hub_alive() {
	curl -s -o /dev/null -m 2 "http://127.0.0.1:$HUB_PORT/v1/changes"
}

# hub_start DBURL [PORT]: serve on PORT (default: a free one, kept in HUB_PORT).
hub_start() {
	HUB_PORT=${2:-${HUB_PORT:-$(free_port)}}
	# shellcheck disable=SC2034  # read by the scripts that source this file
	HUB_URL="http://127.0.0.1:$HUB_PORT"
	"$HUB_BIN" serve --db "$1" --listen "127.0.0.1:$HUB_PORT" >>"$OUT/hub.log" 2>&1 &
	HUB_PID=$!
	wait_until 20 hub_alive || { echo "hub did not start (see $OUT/hub.log)" >&2; return 1; }
}

_gone() { ! kill -0 "$1" 2>/dev/null; }

# agent_start DB [ARGS...]: presentie-sync run in the background.
agent_start() {
	local db=$1; shift
	"$SYNC_BIN" run --db "$db" "$@" >>"$OUT/agent.log" 2>&1 &
	AGENT_PID=$!
}

# _pid_stop PID [-9]: end the background process PID (TERM, then KILL if it
# is still there after 20 s; with -9 KILL at once) and reap it. Nothing to
# do for an empty PID. The callers then empty their *_PID variable.
_pid_stop() {
	[ -n "$1" ] || return 0
	if [ "${2:-}" = -9 ]; then
		kill -9 "$1" 2>/dev/null
	else
		kill "$1" 2>/dev/null
		wait_until 20 _gone "$1" || kill -9 "$1" 2>/dev/null
	fi
	wait "$1" 2>/dev/null
}

hub_stop() { _pid_stop "$HUB_PID"; HUB_PID=; }
hub_kill9() { _pid_stop "$HUB_PID" -9; HUB_PID=; }
agent_stop() { _pid_stop "$AGENT_PID"; AGENT_PID=; }
agent_kill9() { _pid_stop "$AGENT_PID" -9; AGENT_PID=; }

# proxy_start MODEFILE: the fault proxy in front of HUB_PORT; sets PROXY_URL.
proxy_start() {
	PROXY_PORT=$(free_port)
	PROXY_URL="http://127.0.0.1:$PROXY_PORT"
	echo pass >"$1"
	python3 tests/integration/sync_proxy.py "$PROXY_PORT" "$HUB_PORT" "$1" "$OUT/proxy.log" \
	    >>"$OUT/proxy.err" 2>&1 &
	PROXY_PID=$!
	wait_until 10 curl -s -o /dev/null -m 2 "$PROXY_URL/v1/changes"
}

proxy_stop() {
	[ -n "$PROXY_PID" ] || return 0
	kill "$PROXY_PID" 2>/dev/null
	wait "$PROXY_PID" 2>/dev/null
	PROXY_PID=
}

# sync_pg_start: a throwaway PostgreSQL (tests/integration/hub_lib/pg.sh,
# sourced by the caller) with database `presentie`; sets PG_URL.
sync_pg_start() {
	pg_start || return 1
	# shellcheck disable=SC2034  # read by the scripts that source this file
	PG_URL=$(pg_createdb presentie) || return 1
}

sync_cleanup() {
	agent_stop
	proxy_stop
	hub_stop
	declare -F pg_stop >/dev/null && pg_stop
}

# store_sql DB SQL: one value from the kiosk store (python's sqlite3, read only).
store_sql() {
	python3 - "$1" "$2" <<'EOF'
import sqlite3, sys
db = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True, timeout=10)
row = db.execute(sys.argv[2]).fetchone()
print("" if row is None or row[0] is None else row[0])
EOF
}

# store_pending DB: undelivered events, as presentie-sync status reports them.
store_pending() {
	"$SYNC_BIN" status --db "$1" 2>/dev/null | sed -n 's/^pending=//p'
}

pending_is() { [ "$(store_pending "$1")" = "$2" ]; }

# export_check DB DBURL: every check_in of the store is held by the hub
# exactly once (its raw events), and the hub's attendance export counts them
# as one presence per person per session (sync/hub/reports/presence.h): one
# row for each (person, session) of the store's check-ins, the store's
# session-less check-ins one row each. Prints a one-line verdict; returns 0
# only when both hold.
export_check() {
	local from to
	from=$(date -u -d '2 days ago' +%F)
	to=$(date -u -d '2 days' +%F)
	"$HUB_BIN" export attendance --db "$2" --from "$from" --to "$to" --format json \
	    >"$OUT/export.json" 2>"$OUT/export.err" || { echo "export failed: $(head -c 300 "$OUT/export.err")"; return 1; }
	case $2 in
	sqlite:*) sqlite3 -batch "${2#sqlite:}" ".timeout 10000" "SELECT uuid FROM events WHERE kind = 'check_in'" ;;
	*) psql -X -q -At "$2" -c "SELECT uuid FROM events WHERE kind = 'check_in'" ;;
	esac >"$OUT/hub-uuids" 2>"$OUT/hub-uuids.err" || { echo "hub query failed: $(head -c 300 "$OUT/hub-uuids.err")"; return 1; }
	python3 - "$1" "$OUT/export.json" "$OUT/hub-uuids" <<'EOF'
import collections, json, sqlite3, sys
db = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True, timeout=10)
mine = db.execute("SELECT uuid, COALESCE(person_id, ''), COALESCE(session_id, '') FROM events"
                  " WHERE kind = 'check_in'").fetchall()
held = collections.Counter(open(sys.argv[3]).read().split())
doc = json.load(open(sys.argv[2], encoding="utf-8-sig"))
rows = doc
if isinstance(doc, dict):
    rows = next((v for v in doc.values() if isinstance(v, list)), [])
if not mine:
    print("the store has no check-ins"); sys.exit(1)
missing = [u for u, _, _ in mine if held[u] == 0]
twice = [u for u, _, _ in mine if held[u] > 1]
want = collections.Counter(set((p, s) for _, p, s in mine if s))
want.update((p, "") for _, p, s in mine if not s)
got = collections.Counter((r.get("person_id"), r.get("session_id")) for r in rows
                          if isinstance(r, dict) and r.get("kind") == "check_in")
wrong = [k for k in want if got[k] != want[k]]
if missing or twice or wrong:
    print("%d check-ins, %d missing at the hub, %d more than once; export: %d presences of %d wrong"
          % (len(mine), len(missing), len(twice), len(wrong), len(want))); sys.exit(1)
print("%d check-ins, each at the hub exactly once; export: %d presences (rows %d)"
      % (len(mine), sum(want.values()), len(rows)))
EOF
}

# t_drained SECONDS DB OKNAME FAILNAME: "ok - OKNAME" once nothing of DB is
# pending within SECONDS, else "not ok - FAILNAME" with what is left.
t_drained() {
	if wait_until "$1" pending_is "$2" 0; then
		t_ok "$3"
	else
		t_fail "$4" "pending $(store_pending "$2")"
	fi
}

# t_exactly_once NAME DB DBURL
t_exactly_once() {
	local verdict
	if verdict=$(export_check "$2" "$3"); then
		t_ok "$1 ($verdict)"
	else
		t_fail "$1" "$verdict"
	fi
}
