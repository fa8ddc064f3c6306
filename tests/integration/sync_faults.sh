#!/usr/bin/env bash
# sync_faults.sh — presentie-sync against a real hub on loopback, with faults
# on purpose; every scenario ends with each check-in in the hub's export
# exactly once:
#   A hub down at start and for a while (agent backs off, then delivers)
#   B hub killed -9 in the middle of a drain, then restarted
#   C the connection cut after the hub committed, before the answer arrived
#     (sync_proxy.py forwards the batch, then drops the answer)
#   D 500 answers, then slow answers
#   E 429 with Retry-After: the agent waits what the hub said
#   F the agent killed -9 during a push, then restarted
# Runs on a SQLite hub, then (B, F again) on a PostgreSQL hub.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
. tests/integration/hub_lib/pg.sh
. tests/sync_lib.sh
trap sync_cleanup EXIT

sync_need || exit 1
MODE_FILE=$OUT/proxy.mode

set_hub_url() {   # DB URL: point the enrolled store at the hub or the proxy
	python3 -c "import sqlite3,sys; d=sqlite3.connect(sys.argv[1], timeout=10); d.execute(\"UPDATE meta SET value = ? WHERE key = 'hub_url'\", (sys.argv[2],)); d.commit()" "$1" "$2"
}

pending_below() { local p; p=$(store_pending "$1"); [ -n "$p" ] && [ "$p" -lt "$2" ]; }

# kill_mid_drain N KILL NAME [AGENT_ARGS...]: queue N events in DB, start
# the agent, run KILL (hub_kill9 or agent_kill9) once the drain has begun;
# "ok - NAME (L of N left)" if some but not all are still pending.
kill_mid_drain() {
	local n=$1 kill=$2 name=$3 before left
	shift 3
	"$FILL_BIN" add "$DB" "$n" --bulk >/dev/null
	before=$(store_pending "$DB")
	agent_start "$DB" "$@"
	wait_until 60 pending_below "$DB" "$before"
	"$kill"
	left=$(store_pending "$DB")
	if [ "$left" -gt 0 ] && [ "$left" -lt "$before" ]; then
		t_ok "$name ($left of $before left)"
	else
		t_fail "$name" "left $left of $before (not mid-drain)"
	fi
}

# setup BACKEND URL: hub with the demo organisation, an enrolled store with the roster.
setup() {
	local be=$1 url=$2
	DB=$OUT/$be/kiosk.db
	mkdir -p "$OUT/$be"
	HUB_PORT=
	sync_demo_enrolled "$url" "$DB" "$be: " || return 1
}

scenario_hub_down() {   # A
	local be=$1 url=$2 port=$HUB_PORT
	hub_stop
	"$FILL_BIN" add "$DB" 30 >/dev/null
	agent_start "$DB" --max-backoff 2
	sleep 4
	if [ "$(store_pending "$DB")" = 30 ] && grep -q "could not be reached" "$OUT/agent.log"; then
		t_ok "$be: A hub down: the agent waits, 30 events kept"
	else
		t_fail "$be: A hub down" "pending $(store_pending "$DB")"
	fi
	t_check "$be: A sync_state shows the error" \
	    grep -q "could not be reached" <<<"$(store_sql "$DB" "SELECT last_error FROM sync_state")"
	hub_start "$url" "$port" || { t_fail "$be: A hub restart" "see $OUT/hub.log"; return; }
	t_drained 30 "$DB" "$be: A hub back: delivered" "$be: A hub back"
	agent_stop
	t_exactly_once "$be: A hub down at start" "$DB" "$url"
}

scenario_hub_kill() {   # B (N events: enough for a drain of several seconds)
	local be=$1 url=$2 n=$3 port=$HUB_PORT
	kill_mid_drain "$n" hub_kill9 "$be: B hub killed -9 mid-drain" --max-backoff 1
	sleep 2
	hub_start "$url" "$port" || { t_fail "$be: B hub restart" "see $OUT/hub.log"; return; }
	t_drained 300 "$DB" "$be: B drained after the restart" "$be: B drain"
	agent_stop
	t_exactly_once "$be: B hub killed mid-batch" "$DB" "$url"
}

scenario_cut() {   # C
	local be=$1 url=$2 drops
	proxy_start "$MODE_FILE" || { t_fail "$be: C proxy" "did not start"; return; }
	set_hub_url "$DB" "$PROXY_URL"
	: >"$OUT/proxy.log"
	echo "drop 3" >"$MODE_FILE"
	"$FILL_BIN" add "$DB" 1200 --bulk >/dev/null
	agent_start "$DB" --max-backoff 1
	wait_until 60 pending_is "$DB" 0
	drops=$(grep -c '^drop POST /v1/events 200$' "$OUT/proxy.log")
	t_eq "$be: C three answers dropped after the hub committed" 3 "$drops"
	t_eq "$be: C delivered despite the cuts" 0 "$(store_pending "$DB")"
	agent_stop
	t_exactly_once "$be: C connection cut after commit" "$DB" "$url"
}

scenario_500_slow() {   # D (proxy from C still running)
	local be=$1 url=$2 e slow t0 t1
	: >"$OUT/proxy.log"
	echo "error500 4" >"$MODE_FILE"
	"$FILL_BIN" add "$DB" 100 >/dev/null
	agent_start "$DB" --max-backoff 1
	wait_until 60 pending_is "$DB" 0
	e=$(grep -c '^error500 ' "$OUT/proxy.log")
	t_eq "$be: D four 500s answered" 4 "$e"
	t_eq "$be: D delivered after the 500s" 0 "$(store_pending "$DB")"
	echo "slow 3 2" >"$MODE_FILE"
	t0=$(date +%s)
	"$FILL_BIN" add "$DB" 100 >/dev/null
	sleep 1
	wait_until 60 pending_is "$DB" 0
	t1=$(date +%s)
	slow=$(grep -c '^slow ' "$OUT/proxy.log")
	if [ "$slow" -ge 1 ] && [ "$(store_pending "$DB")" = 0 ]; then
		t_ok "$be: D slow answers ($slow held 2 s each) delivered in $((t1 - t0)) s"
	else
		t_fail "$be: D slow answers" "slow=$slow pending=$(store_pending "$DB")"
	fi
	agent_stop
	t_exactly_once "$be: D 500s and slow answers" "$DB" "$url"
}

scenario_429() {   # E
	local be=$1 url=$2
	: >"$OUT/proxy.log"
	: >"$OUT/agent-e.log"
	echo "retry429 1 3" >"$MODE_FILE"
	"$FILL_BIN" add "$DB" 10 >/dev/null
	"$SYNC_BIN" run --db "$DB" --max-backoff 1 >>"$OUT/agent-e.log" 2>&1 &
	AGENT_PID=$!
	wait_until 30 pending_is "$DB" 0
	if grep -q 'next attempt in 3.000 s' "$OUT/agent-e.log" && grep -q '^retry429 ' "$OUT/proxy.log"; then
		t_ok "$be: E 429 Retry-After: 3 honoured (not cut to --max-backoff 1)"
	else
		t_fail "$be: E 429" "$(grep -m1 'next attempt' "$OUT/agent-e.log")"
	fi
	agent_stop
	cat "$OUT/agent-e.log" >>"$OUT/agent.log"
	proxy_stop
	set_hub_url "$DB" "$HUB_URL"
	t_exactly_once "$be: E 429 with Retry-After" "$DB" "$url"
}

scenario_agent_kill() {   # F
	local be=$1 url=$2 n=$3
	kill_mid_drain "$n" agent_kill9 "$be: F agent killed -9 mid-push"
	agent_start "$DB"
	t_drained 300 "$DB" "$be: F restarted agent finished the drain" "$be: F drain"
	agent_stop
	t_exactly_once "$be: F agent killed during a push" "$DB" "$url"
}

if setup sqlite "sqlite:$OUT/hub.db"; then
	U="sqlite:$OUT/hub.db"
	scenario_hub_down sqlite "$U"
	scenario_hub_kill sqlite "$U" 40000
	scenario_cut sqlite "$U"
	scenario_500_slow sqlite "$U"
	scenario_429 sqlite "$U"
	scenario_agent_kill sqlite "$U" 40000
	hub_stop
fi
if sync_pg_start; then
	if setup postgresql "$PG_URL"; then
		scenario_hub_kill postgresql "$PG_URL" 8000
		scenario_agent_kill postgresql "$PG_URL" 8000
	fi
else
	t_fail "postgresql" "could not start a test server"
fi
t_done
