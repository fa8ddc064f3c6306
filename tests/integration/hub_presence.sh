#!/usr/bin/env bash
# hub_presence.sh — one presence per person per session (issue 11 points 1
# and 3), on SQLite and on a PostgreSQL server this script starts. Three
# kiosks at one location that were cut off from each other (each recorded
# its own check-in of the same person) push their taps to the real hub; the
# attendance export, the presentielijst, the reach and hours reports and
# Today count one presence per person per session (first in, last out of any
# kiosk), with the raw taps kept. A volunteer who did not check out is
# flagged "not checked out", with hours by the organisation's rule
# (session_end, then no_hours); one still in the running session is "open".
# An erasure keeps the erased person's taps one presence.
set -u
source tests/lib.sh
source tests/integration/hub_lib/hub.sh
source tests/integration/hub_lib/pg.sh
trap 'hub_stop_all; pg_stop' EXIT
Y=org-grubbehoeve
LOC=loc-grubbehoeve
MIN=60000

# tap FILE SEQ KIND PERSON SESSION ROLE T_MS UUID: one synchronised event
tap() {
	gen_batch "$1" "$2" 1 kind="$3" person="$4" session="$5" role="$6" wall0="$7" \
		boot0=$(($2 * 1000000000)) uuidbase="$8"
}

# push TOKEN FILE: POST it, expect 200
push() {
	local st
	st=$(hreq POST "$HUB_URL/v1/events" "$1" --data-binary @"$2")
	[ "$st" = 200 ] || echo "push $2: $st $(body)" >&2
}

cases() {
	local B=$1 DB=$2 W=$OUT/$1 code tA tB tC ct s3 e3 s4 day3 i
	mkdir -p "$W"
	code=$("$HUB" demo --db "$DB" 2>"$W/demo.err" | tail -n 1)
	hub_start "$DB" || { t_fail "$B: hub starts" "see $OUT/hub-*.log"; return; }
	tA=$(enrol "$code")
	tB=$(enrol "$("$HUB" device create --db "$DB" --location $LOC --name "Kiosk zij-ingang" | tail -n 1)")
	tC=$(enrol "$("$HUB" device create --db "$DB" --location $LOC --name "Kiosk achter" | tail -n 1)")
	ct=$(login coordinator@demo.presentie.nl demo-only-password)
	t_check "$B: three kiosks at one location enrolled, a coordinator logged in" \
		test -n "$tA" -a -n "$tB" -a -n "$tC" -a -n "$ct"
	# ws-03 ended a week ago; ws-04 runs now (the demo places it so)
	s3=$(dbq "$B" "$DB" "SELECT start_ms FROM sessions WHERE org_id = '$Y' AND id = 'ws-03'")
	e3=$(dbq "$B" "$DB" "SELECT end_ms FROM sessions WHERE org_id = '$Y' AND id = 'ws-03'")
	s4=$(dbq "$B" "$DB" "SELECT start_ms FROM sessions WHERE org_id = '$Y' AND id = 'ws-04'")
	day3=$(python3 -c "import datetime,sys; print(datetime.datetime.fromtimestamp($s3/1000, datetime.timezone.utc).strftime('%Y-%m-%d'))")

	# While apart: Daan (p02) taps at all three; Kemal (p09, catering) checks
	# in at A and B, out at C; Ingrid (p05, catering) checks in at A only and
	# forgets to check out; Joyce (p08, an erasure later) taps at A and C.
	# In ws-04 (running): Kemal checks in at B and is still there.
	i=0
	for ev in "A 1 check_in p02 ws-03 - $((s3 - 5 * MIN))" "B 1 check_in p02 ws-03 - $((s3 - 3 * MIN))" \
		"C 1 check_in p02 ws-03 - $((s3 + 1 * MIN))" "A 2 check_in p09 ws-03 catering $((s3 - 10 * MIN))" \
		"B 2 check_in p09 ws-03 catering $((s3 - 9 * MIN))" "C 2 check_out p09 ws-03 catering $((e3 + 5 * MIN))" \
		"A 3 check_in p05 ws-03 catering $s3" "A 4 check_in p08 ws-03 - $((s3 + 2 * MIN))" \
		"C 3 check_in p08 ws-03 - $((s3 + 4 * MIN))" "B 3 check_in p09 ws-04 catering $((s4 - 5 * MIN))"; do
		# shellcheck disable=SC2086
		set -- $ev
		local role=$6
		[ "$role" = - ] && role=''
		i=$((i + 1))
		tap "$W/ev$i.json" "$2" "$3" "$4" "$5" "$role" "$7" "$(printf '0193c%03d' "$i")"
		case $1 in A) push "$tA" "$W/ev$i.json" ;; B) push "$tB" "$W/ev$i.json" ;; C) push "$tC" "$W/ev$i.json" ;; esac
	done
	t_eq "$B: every raw tap is kept (10 events)" 10 \
		"$(dbq "$B" "$DB" "SELECT COUNT(*) FROM events WHERE org_id = '$Y' AND kind IN ('check_in', 'check_out')")"

	# --- the attendance export: one row per person per session
	hreq GET "$HUB_URL/v1/export/attendance.json?from=$day3&to=$day3" "$ct" >/dev/null
	cp "$OUT/last.body" "$W/att.json"
	t_eq "$B: export: one row each for Daan, Ingrid, Joyce and Kemal in ws-03, with their taps" \
		"p02:3 p05:1 p08:2 p09:3" \
		"$(jget '" ".join(sorted("%s:%d" % (r["person_id"], r["taps"]) for r in d if r["session_id"] == "ws-03"))')"
	t_eq "$B: export: Daan's first tap in is the row's check-in (5 min before the start)" \
		"$(python3 -c "import datetime; print(datetime.datetime.fromtimestamp(($s3 - 300000)/1000, datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ'))")" \
		"$(jget '[r["check_in_utc"] for r in d if r["person_id"] == "p02"][0]')"
	t_eq "$B: export: Kemal first in at A, last out at C: 2.25 h, checked out" "2.25 yes" \
		"$(jget '" ".join(str(x) for r in d if r["person_id"] == "p09" for x in ("%.2f" % r["hours"], r["checked_out"]))')"
	t_eq "$B: export: Ingrid did not check out: until the session's end (2 h), flagged 'no'" "2.00 no None" \
		"$(jget '" ".join(str(x) for r in d if r["person_id"] == "p05" for x in ("%.2f" % r["hours"], r["checked_out"], r["check_out"]))')"
	t_eq "$B: export: a participant without check-out has no hours and no flag" "None " \
		"$(jget '" ".join(str(x) for r in d if r["person_id"] == "p02" for x in (r["hours"], r["checked_out"]))')"
	hreq GET "$HUB_URL/v1/export/attendance.csv?from=$day3&to=$day3" "$ct" >/dev/null
	t_eq "$B: CSV export: the same four rows, Dutch hours and the flag" "4 2,25;yes 2,00;no" \
		"$(python3 -c 'import csv,sys; r=list(csv.DictReader(open(sys.argv[1],encoding="utf-8-sig"),delimiter=";")); k={x["person_id"]: x for x in r}; print(len(r), k["p09"]["hours"]+";"+k["p09"]["checked_out"], k["p05"]["hours"]+";"+k["p05"]["checked_out"])' "$OUT/last.body")"

	# --- the presentielijst (export and dashboard)
	hreq GET "$HUB_URL/v1/export/presentielijst.json?session=ws-03" "$ct" >/dev/null
	t_eq "$B: presentielijst export: Daan, Joyce, Kemal and Ingrid present once each" "p02 p05 p08 p09" \
		"$(jget '" ".join(sorted(r["person_id"] for r in d if r["present"] == "yes"))')"
	hreq GET "$HUB_URL/v1/dash/reports/presentielijst?session=ws-03" "$ct" >/dev/null
	t_eq "$B: dashboard presentielijst: 4 present, one row per person" "4 True" \
		"$(jget 'd["present"], len(set(r["person_id"] for r in d["rows"])) == len(d["rows"])' | tr -d '(),')"
	t_eq "$B: dashboard presentielijst: Ingrid flagged not checked out, Kemal checked out" "no yes" \
		"$(jget '" ".join(str(r.get("checked_out")) for p in ("p05", "p09") for r in d["rows"] if r["person_id"] == p)')"

	# --- reports: reach counts Daan's and Joyce's visits once, hours per presence
	local from to
	from=$day3
	to=$(date -u +%Y-%m-%d)
	hreq GET "$HUB_URL/v1/dash/reports/reach?from=$from&to=$to" "$ct" >/dev/null
	t_eq "$B: reach: 2 unique participants, 2 visits (not 5 taps)" "2 2" \
		"$(jget 'sum(r["unique"] for r in d["rows"]), sum(r["visits"] for r in d["rows"])' | tr -d '(),')"
	hreq GET "$HUB_URL/v1/dash/reports/hours?from=$from&to=$to" "$ct" >/dev/null
	cp "$OUT/last.body" "$W/hours.json"
	t_eq "$B: hours: Kemal ws-03 one shift 2.25 h (not 2 shifts, 4.0 h) + ws-04 still checked in" \
		"2 2.25 0 1" \
		"$(jget '" ".join(str(x) for x in (sum(r["sessions"] for r in d["rows"] if r["person_id"] == "p09"), sum(r["hours"] or 0 for r in d["rows"] if r["person_id"] == "p09"), sum(r["not_checked_out"] for r in d["rows"] if r["person_id"] == "p09"), sum(r["still_checked_in"] for r in d["rows"] if r["person_id"] == "p09")))')"
	t_eq "$B: hours: Kemal's month with only ws-04 (still in) has no hours yet (null, not 0)" \
		"None" "$(jget '" ".join(str(r["hours"]) for r in d["rows"] if r["person_id"] == "p09" and r["still_checked_in"] and not r["not_checked_out"] and r["sessions"] == 1)')"
	t_eq "$B: hours: Ingrid 2.0 h until the session's end, 1 not checked out; the rule is named" \
		"1 2.0 1 session_end" \
		"$(jget '" ".join(str(x) for r in d["rows"] if r["person_id"] == "p05" for x in (r["sessions"], r["hours"], r["not_checked_out"])) + " " + d["checkout_rule"]')"
	hreq GET "$HUB_URL/v1/dash/reports/hours.csv?from=$from&to=$to" "$ct" >/dev/null
	t_check "$B: hours CSV has the niet_uitgecheckt column" grep -q 'niet_uitgecheckt' "$OUT/last.body"

	# --- Today: Kemal in ws-04 once, still here
	hreq GET "$HUB_URL/v1/dash/today" "$ct" >/dev/null
	t_eq "$B: Today: ws-04 has Kemal once, checked_out 'open'" "1 open" \
		"$(jget '" ".join(str(x) for l in d["locations"] for s in l["sessions"] if s["id"] == "ws-04" for x in (sum(1 for p in s["people"] if p["person_id"] == "p09" and p["present"]), [p["checked_out"] for p in s["people"] if p["person_id"] == "p09"][0]))')"

	# --- the rule: no hours for a forgotten check-out (still flagged)
	"$HUB" org set --db "$DB" --id $Y --forgotten-checkout no_hours >"$W/orgset.out" 2>&1
	t_eq "$B: org set --forgotten-checkout no_hours" "$Y forgotten_checkout=no_hours" "$(cat "$W/orgset.out")"
	hreq GET "$HUB_URL/v1/dash/reports/hours?from=$from&to=$to" "$ct" >/dev/null
	t_eq "$B: no_hours: Ingrid 0 h, still flagged; Kemal unchanged" "0.0 1 2.25 no_hours" \
		"$(jget '" ".join(str(x) for p in ("p05", "p09") for r in d["rows"] if r["person_id"] == p and r["month"] == "'"${day3:0:7}"'" for x in ((r["hours"], r["not_checked_out"]) if p == "p05" else (r["hours"],))) + " " + d["checkout_rule"]')"
	"$HUB" org set --db "$DB" --id $Y --forgotten-checkout sometimes >"$W/orgset2.out" 2>&1
	t_eq "$B: an unknown rule is refused with the choices" "1 yes" \
		"$? $(grep -q 'session_end' "$W/orgset2.out" && echo yes)"

	# --- erasure: Joyce's two taps stay one presence
	"$HUB" erase person p08 --db "$DB" --org $Y >/dev/null
	hreq GET "$HUB_URL/v1/export/attendance.json?from=$day3&to=$day3" "$ct" >/dev/null
	t_eq "$B: after erasing Joyce: still 4 rows, hers anonymised with 2 taps" "4 2" \
		"$(jget 'len(d), [r["taps"] for r in d if r["display_name"] == "(gewist)"][0]' | tr -d '(),')"
	hub_stop_all
}

HUB=$BUILD/presentie-hub
cases sqlite "sqlite:$OUT/presence.db"
if pg_start; then
	cases postgresql "$(pg_createdb presentie_presence)"
else
	t_fail "postgresql: server starts" "see output above"
fi
t_done
