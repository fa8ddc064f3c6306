#!/usr/bin/env bash
# sync_drain.sh — bench: drain 100 000 queued events from a kiosk store to a
# hub on loopback with `presentie-sync run --once`, on a SQLite hub and on a
# PostgreSQL hub, once with events recorded on a synchronised clock and once
# unsynchronised (the hub's clock correction then has work: a kiosk without
# NTP); prints a Markdown table (events/s against the budget of issue 4:
# >= 20 000 events/s) and checks the export holds each exactly once.
# Usage (tests/bench/run.sh sets these): BUILD=build/release OUT=dir bash tests/bench/sync_drain.sh
# EVENTS=N overrides the count.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
. tests/integration/hub_lib/pg.sh
. tests/sync_lib.sh
trap sync_cleanup EXIT

EVENTS=${EVENTS:-100000}
BUDGET=20000
sync_need >&2 || exit 1
rows=()
fail=0

# drain BACKEND DBURL synced|unsynced (a fresh hub database each time)
drain() {
	local be=$1 url=$2 clock=$3 db=$OUT/$1-$3/kiosk.db code t0 t1 ms rate verdict check fill
	fill=--$clock
	mkdir -p "$OUT/$be-$clock"
	rm -f "$db" "$db-wal" "$db-shm"
	HUB_PORT=
	code=$(hub_demo "$url") || { echo "$be: hub demo failed" >&2; fail=1; return; }
	hub_start "$url" || { echo "$be: hub did not start" >&2; fail=1; return; }
	if ! store_enrolled "$db" "$code" || ! "$FILL_BIN" add "$db" "$EVENTS" --bulk "$fill" >/dev/null; then
		echo "$be: setup failed (see $OUT/agent.log)" >&2
		fail=1
		return
	fi
	[ "$(store_pending "$db")" = "$EVENTS" ] || { echo "$be: queue is not $EVENTS" >&2; fail=1; return; }
	t0=$(date +%s%N)
	"$SYNC_BIN" run --db "$db" --once --log-level warn >&2 || { echo "$be: drain failed" >&2; fail=1; return; }
	t1=$(date +%s%N)
	ms=$(( (t1 - t0) / 1000000 ))
	rate=$(( EVENTS * 1000 / (ms > 0 ? ms : 1) ))
	if check=$(export_check "$db" "$url"); then :; else fail=1; fi
	verdict="ok"
	[ "$rate" -ge "$BUDGET" ] || verdict="over budget"
	[ "$(store_pending "$db")" = 0 ] || { verdict="not drained"; fail=1; }
	local label=$be
	[ "$be" = sqlite ] && label="sqlite (WAL, synchronous=FULL)"
	[ "$be" = postgresql ] && label="postgresql ($PG_SETTINGS)"
	rows+=("| $label | $clock | $EVENTS | $(printf '%d.%03d' $((ms / 1000)) $((ms % 1000))) | $rate | >= $BUDGET | $verdict |")
	echo "$be $clock: $check" >&2
	hub_stop
}

rm -f "$OUT"/hub-*.db*
drain sqlite "sqlite:$OUT/hub-synced.db" synced
drain sqlite "sqlite:$OUT/hub-unsynced.db" unsynced
PG_DURABLE=1   # as in production (pg.sh): fsync, synchronous_commit, full_page_writes on
if sync_pg_start; then
	drain postgresql "$PG_URL" synced
	if url=$(pg_createdb presentie_unsynced); then
		drain postgresql "$url" unsynced
	else
		fail=1
	fi
	pg_stop
else
	echo "postgresql: could not start a test server" >&2
	fail=1
fi

echo "## Sync drain (tests/bench/sync_drain.sh)"
echo
echo "\`presentie-sync run --once\` drains a kiosk store of $EVENTS queued check-ins to"
echo "\`presentie-hub serve\` on loopback (batches of 500, one hub transaction each,"
echo "two batches in flight on two connections: the agent reads, encodes and sends"
echo "the next batch while the hub commits the one before; delivered marks in one"
echo "short store transaction per answer, in order); the hub's export"
echo "is then checked to hold each check-in exactly once. \`synced\`: the events"
echo "carry clock_synced = 1, the normal case of a kiosk with NTP; \`unsynced\`:"
echo "clock_synced = 0 and no synchronised event in the boot, so every event stays"
echo "uncorrectable and the hub's clock correction must not grow with them. Both"
echo "databases commit durably, as in production: SQLite in WAL mode with"
echo "synchronous=FULL, PostgreSQL with fsync, synchronous_commit and"
echo "full_page_writes on (tests/integration/hub_lib/pg.sh, PG_DURABLE=1)."
echo
echo "| hub database | clock | events | seconds | events/s | budget | verdict |"
echo "|---|---|---|---|---|---|---|"
for r in "${rows[@]+"${rows[@]}"}"; do echo "$r"; done
exit $fail
