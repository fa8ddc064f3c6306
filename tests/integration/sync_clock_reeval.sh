#!/usr/bin/env bash
# sync_clock_reeval.sh — the clock case of issue 11 through the real kiosk,
# on SQLite and PostgreSQL: presentie-kiosk (driven by --feed) runs
# unsynchronised with its wall clock 3 days slow (PRESENTIE_FAKE_UNSYNCED=1,
# PRESENTIE_FAKE_WALL_OFFSET_S=-259200), so when p05 (catering in the
# workshop running now, ws-04) taps, the kiosk sees no session and records a
# drop-in; presentie-sync delivers it (the hub can only flag it
# uncorrectable). The kiosk then runs synchronised in the same boot
# (PRESENTIE_FAKE_SYNCED=1 stands in for NTP), p01 taps (a check-in to
# ws-04), the agent pushes, and at the hub p05's tap is corrected to its true
# time AND re-decided with the kiosk's rules: a check-in to ws-04 as
# catering, in the hub's table and in the export, while orig_kind keeps the
# device's "drop_in".
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
. tests/sync_lib.sh
. tests/integration/kiosk_lib.bash
. tests/integration/hub_lib/pg.sh
trap 'kiosk_stop; sync_cleanup' EXIT

OFFSET_S=-259200     # the wrong wall clock: 3 days slow
sync_need_kiosk || exit 1

now_ms() { date +%s%3N; }
deliver() { "$SYNC_BIN" run --db "$1" --once >>"$OUT/agent.log" 2>&1; }
# hub_sql BACKEND URL QUERY: rows as a|b|c lines
hub_sql() {
	if [ "$1" = sqlite ]; then
		python3 -c 'import sqlite3, sys
for r in sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True, timeout=10).execute(sys.argv[2]):
    print("|".join("" if v is None else str(v) for v in r))' "${2#sqlite:}" "$3"
	else
		psql -At "$2" -c "$3"
	fi
}

for be in sqlite postgresql; do
	if [ "$be" = sqlite ]; then
		URL="sqlite:$OUT/hub.db"
	else
		sync_pg_start || { t_fail "$be: postgresql starts" "see output above"; continue; }
		URL=$PG_URL
	fi
	DB=$OUT/kiosk-$be.db
	sync_demo_enrolled "$URL" "$DB" "$be: " || continue

	# 1. unsynchronised, 3 days slow: p05 taps
	PRESENTIE_FAKE_UNSYNCED=1 PRESENTIE_FAKE_WALL_OFFSET_S=$OFFSET_S \
		kiosk_start "u-$be" 800x480 "$DB" || { t_fail "$be: kiosk starts (unsynced)" "see $OUT/u-$be.err"; hub_stop; continue; }
	before=$(now_ms)
	k_do card 04000000000005
	after=$(now_ms)
	k_shot "reeval-dropin-$be"
	kiosk_stop
	uuid=$(store_sql "$DB" "SELECT uuid FROM events WHERE person_id = 'p05'")
	t_eq "$be: the unsynchronised kiosk (3 days slow) recorded p05's tap as a drop-in" "drop_in 0 -" \
		"$(store_sql "$DB" "SELECT kind || ' ' || clock_synced || ' ' || coalesce(session_id, '-') FROM events WHERE uuid = '$uuid'")"
	deliver "$DB" || { t_fail "$be: delivery 1" "see $OUT/agent.log"; hub_stop; continue; }
	t_eq "$be: the hub holds it as the device said: a drop-in, time uncorrectable" "drop_in||uncorrectable" \
		"$(hub_sql "$be" "$URL" "SELECT kind, COALESCE(session_id, ''), correction FROM events WHERE uuid = '$uuid'")"

	# 2. the same boot, synchronised: p01 taps, the agent pushes
	PRESENTIE_FAKE_SYNCED=1 kiosk_start "s-$be" 800x480 "$DB" ||
		{ t_fail "$be: kiosk starts (synced)" "see $OUT/s-$be.err"; hub_stop; continue; }
	k_do card 04000000000001
	kiosk_stop
	t_eq "$be: the synchronised kiosk checked p01 in to ws-04, same boot" "check_in ws-04 1 1" \
		"$(store_sql "$DB" "SELECT kind || ' ' || session_id || ' ' || clock_synced FROM events WHERE person_id = 'p01'") $(store_sql "$DB" "SELECT count(DISTINCT boot_id) FROM events")"
	deliver "$DB" || { t_fail "$be: delivery 2" "see $OUT/agent.log"; hub_stop; continue; }
	t_eq "$be: presentie-sync delivered everything" 0 "$(store_pending "$DB")"

	row=$(hub_sql "$be" "$URL" "SELECT kind, COALESCE(session_id, ''), COALESCE(role, ''), correction,
		COALESCE(orig_kind, ''), COALESCE(reeval, ''), t_ms FROM events WHERE uuid = '$uuid'")
	t_eq "$be: at the hub p05's corrected tap is a check-in to ws-04 as catering (the device's drop_in kept in orig_kind)" \
		"check_in|ws-04|catering|yes|drop_in|check_in" "${row%|*}"
	t_check "$be: its corrected time is the true time of the tap (within a second)" \
		test "${row##*|}" -ge $((before - 1000)) -a "${row##*|}" -le $((after + 1000))
	"$HUB_BIN" export attendance --db "$URL" --format json >"$OUT/export-$be.json" 2>>"$OUT/export.err"
	t_check "$be: the export shows the tap as p05's check-in to ws-04 as catering, time corrected" \
		python3 -c '
import json, sys
r = {x["event_uuid"]: x for x in json.load(open(sys.argv[1]))}[sys.argv[2]]
assert (r["kind"], r["session_id"], r["role"], r["time_corrected"], r["person_id"]) == \
    ("check_in", "ws-04", "catering", "yes", "p05"), r
' "$OUT/export-$be.json" "$uuid"
	hub_stop
done
t_done
