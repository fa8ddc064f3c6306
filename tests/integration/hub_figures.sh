#!/usr/bin/env bash
# hub_figures.sh — figures a person reads come out of the hub's dashboard
# reports as people write them (issue 11 point 6), on SQLite and on a
# PostgreSQL server this script starts: volunteer hours with at most 2
# decimals (1h19m12s is exactly `1.32`, two shifts of 6 and 12 minutes
# `0.3`, not 1.3200000000000001 / 0.29999999999999999), attendance
# percentages whole (1 of 3 sessions: `33.0`, not 33.333333333333336).
# Checked on the raw bytes of the answers; the CSV keeps its decimal comma.
set -u
source tests/lib.sh
source tests/integration/hub_lib/hub.sh
source tests/integration/hub_lib/pg.sh
trap 'hub_stop_all; pg_stop' EXIT
Y=org-grubbehoeve

# batch FILE NOW_MS: the volunteers' shifts (role coach, check-out linked by
# check_in_uuid) two days ago and p04's check-in at session fig-1.
batch() {
	python3 - "$@" <<'PY'
import json, sys
f, now = sys.argv[1], int(sys.argv[2])
t0 = now - 2 * 86400000
boot = "5b0e5c3e-2f7a-4d8e-9b11-0f5c3a1d2e4f"
ev = []
def add(kind, person, wall, role=None, session=None, payload=None):
    s = len(ev) + 1
    u = "0193f161-7c3d-7e4f-8a9b-%012x" % s
    ev.append({"uuid": u, "seq": s, "kind": kind, "person_id": person, "session_id": session,
               "role": role, "wall_ms": wall, "boot_id": boot, "boottime_ns": s * 1000000,
               "clock_synced": True, "payload": payload or {}})
    return u
def shift(person, start, ms):
    u = add("check_in", person, start, role="coach")
    add("check_out", person, start + ms, payload={"check_in_uuid": u})
shift("p01", t0, 4752000)                  # 1h19m12s = 1.32 h
shift("p02", t0 + 3600000, 360000)         # 6 min
shift("p02", t0 + 7200000, 720000)         # + 12 min = 0.3 h
shift("p03", t0 + 10800000, 4753000)       # 1h19m13s = 1.3202... h
add("check_in", "p04", t0, session="fig-1")
json.dump({"device_seq_from": 1, "events": ev}, open(f, "w"))
PY
}

# raw FIELD PERSON: the JSON text of FIELD in PERSON's row of the last body
# (the bytes as sent, not a parsed float).
raw() {
	python3 - "$OUT/last.body" "$1" "$2" <<'PY'
import re, sys
body = open(sys.argv[1], encoding="utf-8").read()
rows = re.findall(r'\{[^{}]*"person_id":"%s"[^{}]*\}' % re.escape(sys.argv[3]), body)
vals = [re.search(r'"%s":([^,}]*)' % sys.argv[2], r).group(1) for r in rows if '"%s":' % sys.argv[2] in r]
print(" ".join(vals))
PY
}

figure_cases() {
	local B=$1 DB=$2 W=$OUT/$1 code tok ct st now from to d
	mkdir -p "$W"
	code=$("$HUB" demo --db "$DB" 2>"$W/demo.err" | tail -n 1)
	printf 'programme_id;title\r\nfig-prog;Cijfers\r\n' >"$W/prog.csv"
	{
		printf 'session_id;programme_id;title;date;start;end;room;kind;location_id\r\n'
		for d in 1 2 3; do
			printf 'fig-%s;fig-prog;Cijfers %s;%s;10:00;12:00;Zaal 1;group;loc-grubbehoeve\r\n' \
				"$d" "$d" "$(date -u -d "-$((10 - d)) days" +%F)"
		done
	} >"$W/sess.csv"
	printf 'programme_id;person_id\r\nfig-prog;p04\r\n' >"$W/enrol.csv"
	if ! { "$HUB" import programmes "$W/prog.csv" --db "$DB" --org $Y &&
		"$HUB" import sessions "$W/sess.csv" --db "$DB" --org $Y &&
		"$HUB" import enrolments "$W/enrol.csv" --db "$DB" --org $Y; } >"$W/import.log" 2>&1; then
		t_fail "$B: import the figures programme" "see $W/import.log"
		return
	fi
	hub_start "$DB" || { t_fail "$B: hub starts" "no health answer"; return; }
	tok=$(enrol "$code")
	ct=$(login demo@presentie.test presentie-demo)
	now=$(date +%s%3N)
	batch "$W/batch.json" "$now"
	st=$(hreq POST "$HUB_URL/v1/events" "$tok" --data-binary @"$W/batch.json")
	t_eq "$B: the shifts are stored" "200 9" "$st $(jget 'd["acked_seq"]')"

	from=$(date -u -d '-3 days' +%F); to=$(date -u +%F)
	st=$(hreq GET "$HUB_URL/v1/dash/reports/hours?from=$from&to=$to" "$ct")
	cp "$OUT/last.body" "$W/hours.json"
	t_eq "$B: hours report answers" 200 "$st"
	t_eq "$B: 1h19m12s is \"hours\":1.32 in the raw answer" "1.32" "$(raw hours p01)"
	t_eq "$B: 6 + 12 minutes is \"hours\":0.3 in the raw answer" "0.3" "$(raw hours p02)"
	t_eq "$B: 1h19m13s is rounded to \"hours\":1.32" "1.32" "$(raw hours p03)"
	t_check "$B: no figure in the hours answer has more than 2 decimals" \
		python3 -c 'import re,sys; b=open(sys.argv[1]).read(); sys.exit(1 if re.search(r"[:\[,]-?[0-9]+\.[0-9]{3,}", b) else 0)' "$W/hours.json"
	st=$(hreq GET "$HUB_URL/v1/dash/reports/hours.csv?from=$from&to=$to" "$ct")
	cp "$OUT/last.body" "$W/hours.csv"
	t_check "$B: hours CSV keeps 2 decimals with a comma (1,32 and 0,30)" \
		python3 -c 'import sys; b=open(sys.argv[1], encoding="utf-8-sig", newline="").read(); sys.exit(0 if ";\"1,32\";" in b and ";\"0,30\";" in b else 1)' "$W/hours.csv"

	st=$(hreq GET "$HUB_URL/v1/dash/reports/attendance?programme=fig-prog" "$ct")
	cp "$OUT/last.body" "$W/attendance.json"
	t_eq "$B: attendance answers, 3 sessions held" "200 3" "$st $(jget 'd["sessions"]')"
	t_eq "$B: 1 of 3 sessions is \"percent\":33.0 in the raw answer" "33.0" "$(raw percent p04)"
	hub_stop_all
}

rm -f "$OUT/hub.db"*
figure_cases sqlite "sqlite:$OUT/hub.db"
if pg_start; then
	figure_cases postgresql "$(pg_createdb presentie_figures)"
else
	t_fail "postgresql: server starts" "see output above"
fi
t_done
