#!/usr/bin/env bash
# hub_bench.sh — presentie-hub figures on SQLite and PostgreSQL (Markdown on
# stdout, progress on stderr): ingest with 20 devices pushing batches of 500
# at once; export of 1 000 000 events (CLI: seconds and peak RSS via
# /usr/bin/time -v, for 100 000 and 1 000 000 rows so a growing memory would
# show; HTTP: seconds and the hub's VmHWM). Budget (issue 4): export 1 M rows
# <= 10 s with memory that does not grow with the row count.
# Both run durable, as in production: SQLite in WAL mode with
# synchronous=FULL (db_sqlite.c: an fsync per commit), PostgreSQL with
# fsync, synchronous_commit and full_page_writes on (PG_DURABLE=1, pg.sh);
# the ingest budget (issue 13) is >= 20 000 events/s that way.
# Needs BUILD (a release build) and OUT.
set -u
source tests/lib.sh
source tests/integration/hub_lib/hub.sh
source tests/integration/hub_lib/pg.sh
trap 'hub_stop_all; pg_stop' EXIT
PUSHERS=${PUSHERS:-20}
BATCHES=${BATCHES:-10}          # per pusher, 500 events each
EXPORT_ROWS=${EXPORT_ROWS:-1000000}
log() { echo "$*" >&2; }

# bulk_sql BACKEND N: SQL adding N check-ins of a bench device (spread over
# 100 days from 2025-09-01, 10 000 a day) without going through HTTP; every
# row is a person of its own, so each is one presence (reports/presence.h)
# and the export has N rows.
bulk_sql() {
	local gen
	if [ "$1" = sqlite ]; then
		gen="WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < $2) SELECT x FROM c"
	else
		gen="SELECT x FROM generate_series(CAST(1 AS BIGINT), $2) AS g(x)"
	fi
	cat <<SQL
INSERT INTO devices (id, org_id, location_id, name, status, created_ms)
  VALUES ('dev-bulk', 'org-grubbehoeve', 'loc-grubbehoeve', 'bulk', 'revoked', 0);
INSERT INTO events (uuid, device_id, seq, org_id, location_id, kind, person_id, session_id,
  role, wall_ms, boot_id, boottime_ns, clock_synced, payload, t_ms, correction, anonymised,
  received_ms)
SELECT 'bulk-' || x, 'dev-bulk', x, 'org-grubbehoeve', 'loc-grubbehoeve', 'check_in',
  'bp' || x, 'ws-0' || (1 + x % 9), NULL, 1756684800000 + x * 8640,
  'b0000000-0000-4000-8000-000000000000', x * 1000000, 1, '{}',
  1756684800000 + x * 8640, 'no', 0, 0 FROM ($gen) AS s;
SQL
}

bench_backend() {
	local B=$1 DB=$2 W=$OUT/$1 L=$3 code t0 t1 i j toks=() pids=()
	mkdir -p "$W"
	"$HUB" demo --db "$DB" >"$W/demo.out" 2>&1 || { log "demo failed"; return 1; }
	hub_start "$DB" --threads 4 --enrol-rate 1000 || { log "hub did not start"; return 1; }
	for i in $(seq 1 "$PUSHERS"); do
		code=$("$HUB" device create --db "$DB" --location loc-grubbehoeve | tail -n 1)
		toks+=("$(enrol "$code")")
		[ ${#toks[$((i - 1))]} -eq 43 ] || { log "enrolment $i failed"; return 1; }
		for j in $(seq 0 $((BATCHES - 1))); do
			gen_batch "$W/p$i-$j.json" $((j * 500 + 1)) 500 uuidbase="$(printf '%08x' "$i")" \
				person="p0$((1 + i % 9))" step_ms=10
		done
	done
	log "$B: ingest, $PUSHERS pushers x $BATCHES batches x 500"
	t0=$(date +%s%N)
	for i in $(seq 1 "$PUSHERS"); do
		(for j in $(seq 0 $((BATCHES - 1))); do
			curl -s -m 120 -o /dev/null -w '%{http_code}\n' -H "Authorization: Bearer ${toks[$((i - 1))]}" \
				--data-binary @"$W/p$i-$j.json" "$HUB_URL/v1/events"
		done >"$W/push-$i.codes") & pids+=($!)
	done
	for p in "${pids[@]}"; do wait "$p"; done
	t1=$(date +%s%N)
	local total=$((PUSHERS * BATCHES * 500)) ms=$(( (t1 - t0) / 1000000 ))
	local ok; ok=$(cat "$W"/push-*.codes | grep -c '^200$')
	INGEST="$total events in $ms ms = $(( total * 1000 / (ms > 0 ? ms : 1) )) events/s ($ok/$((PUSHERS * BATCHES)) batches 200)"
	log "$B: $INGEST"

	log "$B: adding $EXPORT_ROWS events with SQL"
	local need=$EXPORT_ROWS   # each its own presence (one person per row)
	if [ "$B" = sqlite ]; then
		bulk_sql sqlite "$need" | sqlite3 "${DB#sqlite:}" || return 1
	else
		bulk_sql pg "$need" | psql -q -v ON_ERROR_STOP=1 "$DB" >/dev/null || return 1
		psql -q "$DB" -c 'VACUUM ANALYZE' >/dev/null
	fi
	# CLI export: everything, and a tenth (2025-09-01..2025-09-10) for comparison
	/usr/bin/time -v "$HUB" export attendance --db "$DB" --to 2025-09-10 --format csv \
		>"$W/tenth.csv" 2>"$W/tenth.time"
	/usr/bin/time -v "$HUB" export attendance --db "$DB" --format csv >"$W/all.csv" 2>"$W/all.time"
	/usr/bin/time -v "$HUB" export attendance --db "$DB" --format json >"$W/all.json" 2>"$W/allj.time"
	rows_t=$(($(wc -l <"$W/tenth.csv") - 1)); rows_a=$(($(wc -l <"$W/all.csv") - 1))
	el() { sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$1"; }
	rss() { sed -n 's/.*Maximum resident set size (kbytes): //p' "$1"; }
	# HTTP export on the running hub
	local ct; ct=$(login coordinator@demo.presentie.nl demo-only-password)
	local hwm0 hwm1 pid=${HUB_PIDS[0]}
	hwm0=$(sed -n 's/VmHWM:[[:space:]]*//p' /proc/"$pid"/status)
	t0=$(date +%s%N)
	curl -s -m 600 -o "$W/http.csv" -H "Authorization: Bearer $ct" "$HUB_URL/v1/export/attendance.csv"
	t1=$(date +%s%N)
	hwm1=$(sed -n 's/VmHWM:[[:space:]]*//p' /proc/"$pid"/status)
	local rows_h=$(($(wc -l <"$W/http.csv") - 1))
	echo "| $L | ingest, $PUSHERS devices at once | $INGEST |"
	echo "| $B | CLI export CSV, $rows_t rows | $(el "$W/tenth.time") s, peak RSS $(rss "$W/tenth.time") KiB |"
	echo "| $B | CLI export CSV, $rows_a rows | $(el "$W/all.time") s, peak RSS $(rss "$W/all.time") KiB, $(du -m "$W/all.csv" | cut -f1) MiB |"
	echo "| $B | CLI export JSON, $rows_a rows | $(el "$W/allj.time") s, peak RSS $(rss "$W/allj.time") KiB |"
	echo "| $B | HTTP export CSV, $rows_h rows | $(( (t1 - t0) / 1000000 )) ms, hub VmHWM $hwm0 -> $hwm1 |"
	hub_stop_all
	rm -f "$W"/*.json "$W"/*.csv
}

echo "## presentie-hub"
echo
PG_DURABLE=1
pg_ok=0
pg_start && pg_ok=1
echo "Loopback, release build, hub with 4 threads. Budget: export of 1 M rows <= 10 s, memory flat;"
echo "ingest >= 20 000 events/s with durable commits: SQLite WAL + synchronous=FULL, PostgreSQL"
echo "${PG_SETTINGS} (this disk: $( [ $pg_ok = 1 ] && pg_fsync_rate || echo '?') fdatasync/s by pg_test_fsync)."
echo
echo "| backend | what | result |"
echo "|---|---|---|"
rm -f "$OUT/bench.db"*
bench_backend sqlite "sqlite:$OUT/bench.db" "sqlite (WAL, synchronous=FULL)"
if [ $pg_ok = 1 ]; then
	bench_backend postgresql "$(pg_createdb presentie_bench)" "postgresql ($PG_SETTINGS)"
else
	echo "| postgresql | - | server did not start |"
fi
