#!/usr/bin/env bash
# hub_reeval.sh — decisions taken with a wrong clock are revisited (issue 11,
# finding 2), on SQLite and PostgreSQL over raw POST /v1/events. A kiosk whose
# clock is 3 days slow and unsynchronised records drop-ins (3 days back no
# session runs); a later synchronised sample of the same boot corrects their
# time (svc/clockfix.c) and the hub then re-decides them with the kiosk's own
# rules (svc/reeval.c -> kiosk/rules.c) at the corrected time:
#  - p05, catering in the running workshop ws-04: a check-in to ws-04, role catering;
#  - p01, enrolled in ws-04's programme (win-01 is open too): a check-in to ws-04;
#  - p08, enrolled nowhere, no role, two sessions open: the rules would ask
#    (CHOOSE): it stays a drop-in without session, flagged reeval = 'choose';
#  - p06's drop-in then check-out: check-in to ws-04 as rolmodel, the check-out
#    follows it (session, role, out_uuid link).
# The device's words stay: payload unchanged, orig_kind/orig_session_id/orig_role
# hold what it said; a replay of the batch is a duplicate (not 409); local_day
# is the corrected time's day in the location's zone; the export shows the
# check-in. Also the unit cases of test_hub_reeval on PostgreSQL.
set -u
source tests/lib.sh
source tests/integration/hub_lib/hub.sh
source tests/integration/hub_lib/pg.sh
trap 'hub_stop_all; pg_stop' EXIT
BIN=$BUILD/tests/test_hub_reeval

if ! pg_start; then
	t_fail "hub reeval: postgresql starts" "see output above"
	exit 1
fi
if [ -x "$BIN" ]; then
	url=$(pg_createdb presentie_reeval_unit)
	if HUB_TEST_PG_URL=$url CMOCKA_MESSAGE_OUTPUT=stdout "$BIN" >"$OUT/unit.log" 2>&1; then
		t_ok "postgresql: the ingest cases of test_hub_reeval ($(grep -c '^\[       OK \]' "$OUT/unit.log") passed; run.sh runs them on SQLite)"
	else
		t_fail "postgresql: the ingest cases of test_hub_reeval" "$(grep -E 'FAILED|ERROR|error' "$OUT/unit.log" | head -n 5 | tr '\n' ' ')"
	fi
else
	t_fail "hub reeval: $BIN is built" "make tests first"
fi

boot=33333333-4444-4555-8666-777777777777
DAY3=259200000
# sql BACKEND DB QUERY: rows as a|b|c lines
sql() {
	if [ "$1" = sqlite ]; then
		python3 -c 'import sqlite3, sys
for r in sqlite3.connect(sys.argv[1]).execute(sys.argv[2]):
    print("|".join("" if v is None else str(v) for v in r))' "${2#sqlite:}" "$3"
	else
		psql -At "$2" -c "$3"
	fi
}
# post FILE: POST the batch; prints the status
post() { hreq POST "$HUB_URL/v1/events" "$tok" --data-binary @"$1"; }

for be in sqlite postgresql; do
	if [ "$be" = sqlite ]; then db="sqlite:$OUT/hub.db"; rm -f "$OUT"/hub.db*; else db=$(pg_createdb presentie_reeval_http); fi
	code=$("$HUB" demo --db "$db" | tail -n 1)
	hub_start "$db" || { t_fail "$be: hub starts" "see $OUT"; continue; }
	tok=$(enrol "$code")
	now=$(date +%s%3N)
	wrong=$((now - DAY3))
	# boot times (s): unsynced taps at 1000..1040 and a check-out at 1700;
	# the synchronised anchor at 1800 s, wall = now: tap k is corrected to
	# now - (1800 - boottime) s, i.e. 13 .. 2 minutes ago, inside ws-04.
	st=""
	n=0
	for spec in "p05 drop_in 1000" "p01 drop_in 1010" "p08 drop_in 1020" "p06 drop_in 1030" \
		"p06 check_out 1700"; do
		read -r who kind bt <<<"$spec"
		n=$((n + 1))
		gen_batch "$OUT/b$n.json" "$n" 1 synced=0 kind="$kind" person="$who" session= \
			wall0=$((wrong + (bt - 1000) * 1000)) boot0=$((bt * 1000000000)) boot="$boot" \
			uuidbase=0193feed payload='{"screen":"welcome"}'
		st="$st $(post "$OUT/b$n.json")"
	done
	q="SELECT seq, kind, COALESCE(session_id, ''), COALESCE(role, ''), correction FROM events WHERE uuid LIKE '0193feed%' ORDER BY seq"
	t_eq "$be: 5 unsynchronised taps, 3 days slow, stored as the device said (uncorrectable drop-ins)" \
		" 200 200 200 200 200|1|drop_in|||uncorrectable|2|drop_in|||uncorrectable|3|drop_in|||uncorrectable|4|drop_in|||uncorrectable|5|check_out|||uncorrectable" \
		"$st|$(sql "$be" "$db" "$q" | tr '\n' '|' | sed 's/|$//')"

	# the anchor: a synchronised check-in of p03 in ws-04, same boot
	gen_batch "$OUT/a.json" 6 1 synced=1 kind=check_in person=p03 session=ws-04 \
		wall0="$now" boot0=1800000000000 boot="$boot" uuidbase=0193feed
	t_eq "$be: the synchronised sample of the same boot is accepted" 200 "$(post "$OUT/a.json")"
	sql "$be" "$db" "$q" >"$OUT/$be.after"
	t_eq "$be: after clock correction the taps mean what the rules say at their true time" \
		"1|check_in|ws-04|catering|yes 2|check_in|ws-04||yes 3|drop_in|||yes 4|check_in|ws-04|rolmodel|yes 5|check_out|ws-04|rolmodel|yes 6|check_in|ws-04||no" \
		"$(tr '\n' ' ' <"$OUT/$be.after" | sed 's/ $//')"

	q2="SELECT e.seq, e.t_ms, COALESCE(e.orig_kind, '-'), COALESCE(e.orig_session_id, '-'),
	    COALESCE(e.orig_role, '-'), COALESCE(e.reeval, '-'), COALESCE(e.local_day, -1), e.payload,
	    COALESCE(e.out_uuid, '-'), l.timezone FROM events e JOIN locations l ON l.id = e.location_id
	    WHERE e.uuid LIKE '0193feed%' ORDER BY e.seq"
	sql "$be" "$db" "$q2" >"$OUT/$be.orig"
	t_check "$be: corrected times exact, orig_* keep the device's words, reeval says what happened, local_day in the location's zone" \
		python3 - "$OUT/$be.orig" "$now" <<'EOF'
import datetime, sys, zoneinfo
rows = [l.rstrip("\n").split("|") for l in open(sys.argv[1]) if l.strip()]
now = int(sys.argv[2])
assert len(rows) == 6, rows
bt = {1: 1000, 2: 1010, 3: 1020, 4: 1030, 5: 1700, 6: 1800}
want = {1: ("drop_in", "-", "-", "check_in"), 2: ("drop_in", "-", "-", "check_in"),
        3: ("drop_in", "-", "-", "choose"), 4: ("drop_in", "-", "-", "check_in"),
        5: ("check_out", "-", "-", "check_out"), 6: ("-", "-", "-", "-")}
out_of_4 = None
for seq, t, ok, os_, orl, rv, day, payload, out, tz in rows:
    seq, t, day = int(seq), int(t), int(day)
    assert t == now - (1800 - bt[seq]) * 1000, (seq, t, now)
    # orig_session_id/orig_role are NULL (the device said none): shown as "-"
    assert (ok, os_ if os_ else "-", orl if orl else "-", rv) == want[seq], (seq, ok, os_, orl, rv)
    local = datetime.datetime.fromtimestamp(t / 1000, zoneinfo.ZoneInfo(tz)).date()
    assert day == (local - datetime.date(1970, 1, 1)).days, (seq, day, local)
    if seq <= 5:
        assert payload == '{"screen":"welcome"}', (seq, payload)
    if seq == 4:
        out_of_4 = out
assert out_of_4 == "0193feed-7c3d-7e4f-8a9b-000000000005", out_of_4
EOF
	# a replay of the first batch: the device's content is what it sent
	st=$(post "$OUT/b1.json")
	t_eq "$be: a replay of a re-evaluated event is a duplicate (not a 409 conflict)" "200 1 0" \
		"$st $(jget 'd["duplicates"]') $(jget 'd["stored"]')"
	"$HUB" export attendance --db "$db" --format json >"$OUT/$be.export.json" 2>"$OUT/$be.export.err"
	t_check "$be: the export shows p05's tap as a check-in to ws-04 as catering, time corrected, re-decided; p08's as 'choose'" \
		python3 -c '
import json, sys
rows = {r["event_uuid"]: r for r in json.load(open(sys.argv[1]))}
r = rows["0193feed-7c3d-7e4f-8a9b-000000000001"]
assert (r["kind"], r["session_id"], r["role"], r["time_corrected"], r["redecided"]) == ("check_in", "ws-04", "catering", "yes", "check_in"), r
r = rows["0193feed-7c3d-7e4f-8a9b-000000000003"]
assert (r["kind"], r["session_id"], r["redecided"]) == ("drop_in", "", "choose"), r
' "$OUT/$be.export.json"
	hub_stop_all
done
t_done
