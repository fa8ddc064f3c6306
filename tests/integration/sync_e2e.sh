#!/usr/bin/env bash
# sync_e2e.sh — end to end on loopback, on a SQLite hub and on a PostgreSQL
# hub: kiosk store -> presentie-sync -> presentie-hub -> `presentie-hub export
# attendance` holds each check-in exactly once. Also: enrol prints no secret
# and refuses a second enrolment; the roster arrives by pull; a replay of
# delivered events changes nothing; the running agent wakes on a new event
# within seconds and records its state (sync_state + notify file); --once
# against a dead hub exits 2 with a clear message.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
. tests/integration/hub_lib/pg.sh
. tests/sync_lib.sh
trap sync_cleanup EXIT

sync_need || exit 1

suite() {
	local be=$1 url=$2 dir=$OUT/$1 db code out rc t0 t1
	mkdir -p "$dir"
	db=$dir/kiosk.db
	HUB_PORT=
	if ! code=$(hub_demo "$url") || [ -z "$code" ]; then
		t_fail "$be: hub demo" "see $OUT/hub-demo.log"
		return
	fi
	hub_start "$url" || { t_fail "$be: hub serve" "see $OUT/hub.log"; return; }
	"$FILL_BIN" init "$db" >/dev/null || { t_fail "$be: store" "sync_fill init failed"; return; }

	out=$("$SYNC_BIN" enrol --hub "$HUB_URL" --code "$code" --db "$db" --name "test kiosk" 2>&1)
	rc=$?
	t_eq "$be: enrol exits 0 ($out)" 0 "$rc"
	local token
	token=$(store_sql "$db" "SELECT value FROM meta WHERE key = 'hub_token'")
	if [ ${#token} -ge 20 ] && ! grep -qF "$token" <<<"$out" && ! grep -qF "$token" "$OUT/agent.log" 2>/dev/null; then
		t_ok "$be: token stored (${#token} chars), never printed"
	else
		t_fail "$be: token" "missing or printed"
	fi
	out=$("$SYNC_BIN" enrol --hub "$HUB_URL" --code "$code" --db "$db" 2>&1)
	rc=$?
	if [ "$rc" -ne 0 ] && grep -q "already enrolled" <<<"$out"; then
		t_ok "$be: a second enrol is refused without --force"
	else
		t_fail "$be: second enrol" "rc $rc: $out"
	fi

	"$SYNC_BIN" run --db "$db" --once >>"$OUT/agent.log" 2>&1
	t_eq "$be: run --once (pull) exits 0" 0 "$?"
	local people sessions
	people=$(store_sql "$db" "SELECT count(*) FROM people")
	sessions=$(store_sql "$db" "SELECT count(*) FROM sessions")
	if [ "${people:-0}" -gt 0 ] && [ "${sessions:-0}" -gt 0 ]; then
		t_ok "$be: roster pulled ($people people, $sessions sessions)"
	else
		t_fail "$be: roster" "people=$people sessions=$sessions"
	fi

	"$FILL_BIN" add "$db" 120 >/dev/null || { t_fail "$be: events" "sync_fill add failed"; return; }
	t_eq "$be: 120 events queued" 120 "$(store_pending "$db")"
	"$SYNC_BIN" run --db "$db" --once >>"$OUT/agent.log" 2>&1
	t_eq "$be: run --once (push) exits 0" 0 "$?"
	t_eq "$be: nothing left to deliver" 0 "$(store_pending "$db")"
	t_exactly_once "$be: export after push" "$db" "$url"

	# Replay: forget the delivered marks and push all again.
	python3 -c "import sqlite3,sys; d=sqlite3.connect(sys.argv[1]); d.execute('UPDATE events SET delivered = 0, delivered_at = NULL'); d.commit()" "$db"
	"$SYNC_BIN" run --db "$db" --once >>"$OUT/agent.log" 2>&1
	t_eq "$be: replay of 120 delivered events exits 0" 0 "$?"
	t_exactly_once "$be: export after replay" "$db" "$url"

	# The running agent: wakes on a new event (inotify), records its state.
	agent_start "$db"
	sleep 1
	t0=$(date +%s%N)
	"$FILL_BIN" add "$db" 3 >/dev/null
	if wait_until 10 pending_is "$db" 0; then
		t1=$(date +%s%N)
		t_ok "$be: running agent delivered 3 new events in $(( (t1 - t0) / 1000000 )) ms"
	else
		t_fail "$be: running agent" "events still pending: $(store_pending "$db")"
	fi
	wait_until 5 grep -q '^ok ' "$db.notify"
	t_check "$be: notify file says ok" grep -q '^ok [0-9]* waiting 0$' "$db.notify"
	local st
	st=$(store_sql "$db" "SELECT (last_ok > 0) || '/' || (last_error IS NULL) || '/' || waiting FROM sync_state")
	t_eq "$be: sync_state (last_ok set/no error/waiting)" "1/1/0" "$st"
	t_exactly_once "$be: export with the running agent" "$db" "$url"
	agent_stop

	# --once against a dead hub: exit 2, a clear message, the state says why.
	hub_stop
	"$FILL_BIN" add "$db" 1 >/dev/null
	out=$("$SYNC_BIN" run --db "$db" --once 2>&1)
	rc=$?
	if [ "$rc" -eq 2 ] && grep -q "could not be reached" <<<"$out"; then
		t_ok "$be: --once with the hub down exits 2: $(tail -n1 <<<"$out" | cut -c1-120)"
	else
		t_fail "$be: --once with the hub down" "rc $rc: $out"
	fi
	st=$(store_sql "$db" "SELECT last_error FROM sync_state")
	t_check "$be: sync_state.last_error says the hub could not be reached" grep -q "could not be reached" <<<"$st"
	t_check "$be: notify file says error" grep -q '^error [0-9]* waiting 1$' "$db.notify"
}

suite sqlite "sqlite:$OUT/hub.db"
if sync_pg_start; then
	suite postgresql "$PG_URL"
else
	t_fail "postgresql" "could not start a test server"
fi
t_done
