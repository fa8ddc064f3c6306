#!/usr/bin/env bash
# hub_figures_one.sh — one figure everywhere (issue 14 points 2 and 3),
# through the real hub on SQLite and on a PostgreSQL server it starts, with
# the demo organisation. For the same person and session, the hours
# (docs/DASHBOARD.md "Hours") agree across GET /v1/dash/today, the
# presentielijst, the hours report, `presentie-hub export attendance` and
# GET /v1/export/attendance.json: a volunteer still in a running session
# has no hours yet (null/blank, flagged "open"), one who checked out has
# first in to last out, one whose session ended without a check-out has the
# organisation's rule (until the end, or none), flagged "no". "Expected"
# and "present" of a session are the same on Today, the presentielijst, the
# Follow-up overview and its no-show list, and the drop-out list never
# names someone present today.
set -u
source tests/lib.sh
source tests/integration/hub_lib/hub.sh
source tests/integration/hub_lib/pg.sh
trap 'hub_stop_all; pg_stop' EXIT

# post FILE: POST a batch with the kiosk token; prints "STATUS acked"
post() { local st; st=$(hreq POST "$HUB_URL/v1/events" "$TOK" --data-binary @"$1"); echo "$st $(jget 'd.get("acked_seq")')"; }

# hours_of PERSON SESSION: "today presentielijst report cli http" hours of
# one presence ("-" for null/blank), each with its check-out word.
hours_of() {
	local p=$1 s=$2 date=$3 a b c d e
	hreq GET "$HUB_URL/v1/dash/today?date=$date" "$CT" >/dev/null
	a=$(jget "' '.join('%s/%s' % ('-' if x.get('hours') is None else x['hours'], x['checked_out']) for l in d['locations'] for s in l['sessions'] if s['id'] == '$s' for x in s['people'] if x['person_id'] == '$p') or 'absent'")
	hreq GET "$HUB_URL/v1/dash/reports/presentielijst?session=$s" "$CT" >/dev/null
	b=$(jget "' '.join('%s/%s' % ('-' if x.get('hours') is None else x['hours'], x['checked_out']) for x in d['rows'] if x['person_id'] == '$p') or 'absent'")
	hreq GET "$HUB_URL/v1/dash/reports/hours?from=$date&to=$date" "$CT" >/dev/null
	c=$(jget "' '.join('%s/%s' % ('-' if x['hours'] is None else x['hours'], 'open' if x['still_checked_in'] else 'no' if x['not_checked_out'] else 'yes') for x in d['rows'] if x['person_id'] == '$p') or 'absent'")
	"$HUB" export attendance --db "$DB" --from "$date" --to "$date" --format json >"$OUT/cli.json" 2>/dev/null
	d=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(' '.join('%s/%s' % ('-' if x['hours'] in (None, '') else float(x['hours']), x['checked_out']) for x in (d['rows'] if isinstance(d, dict) else d) if x['person_id'] == '$p' and x['session_id'] == '$s') or 'absent')" "$OUT/cli.json")
	hreq GET "$HUB_URL/v1/export/attendance.json?from=$date&to=$date" "$CT" >/dev/null
	e=$(jget "' '.join('%s/%s' % ('-' if x['hours'] in (None, '') else float(x['hours']), x['checked_out']) for x in (d['rows'] if isinstance(d, dict) else d) if x['person_id'] == '$p' and x['session_id'] == '$s') or 'absent'")
	echo "$a $b $c $d $e"
}

# counts SESSION DATE: "today presentielijst noshows [overview]" as expected/present
counts() {
	local s=$1 date=$2 a b c d
	hreq GET "$HUB_URL/v1/dash/today?date=$date" "$CT" >/dev/null
	a=$(jget "' '.join('%s/%s' % (s['counts']['expected'], s['counts']['present']) for l in d['locations'] for s in l['sessions'] if s['id'] == '$s')")
	hreq GET "$HUB_URL/v1/dash/reports/presentielijst?session=$s" "$CT" >/dev/null
	b=$(jget "'%s/%s' % (d['expected'], d['present'])")
	hreq GET "$HUB_URL/v1/dash/followup/noshows?session=$s" "$CT" >/dev/null
	c=$(jget "'%s/%s' % (d['session']['expected'], d['session']['present'])")
	hreq GET "$HUB_URL/v1/dash/followup" "$CT" >/dev/null
	d=$(jget "' '.join('%s/%s' % (s['expected'], s['present']) for s in d['sessions'] if s['id'] == '$s')")
	echo "$a $b $c${d:+ $d}"
}

figures_cases() {
	local B=$1 W=$OUT/$1 code now today w3 e3 h3 exp n
	DB=$2
	mkdir -p "$W"
	code=$("$HUB" demo --db "$DB" 2>/dev/null | tail -n 1)
	hub_start "$DB" || { t_fail "$B: hub starts" "no health answer"; return; }
	TOK=$(enrol "$code")
	CT=$(login demo@presentie.test presentie-demo)
	t_check "$B: a kiosk enrolled and a coordinator logged in" test -n "$TOK" -a -n "$CT"
	now=$(date +%s%3N)
	today=$(TZ=Europe/Amsterdam date +%F)
	t_eq "$B: ws-04 runs now" 1 "$(dbq "$B" "$DB" "SELECT COUNT(*) FROM sessions WHERE id = 'ws-04' AND start_ms <= $now AND end_ms > $now")"
	w3=$(dbq "$B" "$DB" "SELECT start_ms FROM sessions WHERE id = 'ws-03'")
	e3=$(dbq "$B" "$DB" "SELECT end_ms FROM sessions WHERE id = 'ws-03'")
	# ws-04 (running): p05 (catering) in 10 min ago, still here; p06
	# (rolmodel) in 30 min ago, out 6 min ago (0.40 h); p01 (participant) in.
	gen_batch "$W/a.json" 1 1 person=p05 session=ws-04 role=catering wall0=$((now - 600000)) uuidbase=0193f101
	gen_batch "$W/b.json" 2 1 person=p06 session=ws-04 role=rolmodel wall0=$((now - 1800000)) uuidbase=0193f102
	gen_batch "$W/c.json" 3 1 person=p06 session=ws-04 role=rolmodel kind=check_out wall0=$((now - 360000)) uuidbase=0193f103
	gen_batch "$W/d.json" 4 1 person=p01 session=ws-04 wall0=$((now - 1200000)) uuidbase=0193f104
	# ws-03 (ended a week ago): p09 (catering) in 5 min after its start, no check-out.
	gen_batch "$W/e.json" 5 1 person=p09 session=ws-03 role=catering wall0=$((w3 + 300000)) uuidbase=0193f105
	for f in a b c d e; do
		t_eq "$B: batch $f accepted" "200" "$(post "$W/$f.json" | cut -d' ' -f1)"
	done
	h3=$(python3 -c "print(round(($e3 - $w3 - 300000) / 3600000, 2))")

	t_eq "$B: p05 still in at running ws-04: no hours yet, 'open', on every page and export" \
		"-/open -/open -/open -/open -/open" "$(hours_of p05 ws-04 "$today")"
	hreq GET "$HUB_URL/v1/dash/reports/presentielijst.csv?session=ws-04" "$CT" >/dev/null
	t_eq "$B: presentielijst CSV: p05 blank hours, 'nog bezig'; p06 0,40, 'ja'" "|nog bezig 0,40|ja" \
		"$(python3 -c "import csv,sys; r=list(csv.DictReader(open(sys.argv[1], encoding='utf-8-sig'), delimiter=';')); n={x['naam']: x for x in r}; print(' '.join(n[k]['uren'] + '|' + n[k]['uitgecheckt'] for k in ('Ingrid B.', sys.argv[2])))" "$OUT/last.body" "$(dbq "$B" "$DB" "SELECT display_name FROM people WHERE id = 'p06'")")"
	hreq GET "$HUB_URL/v1/dash/reports/hours.csv?from=$today&to=$today" "$CT" >/dev/null
	t_eq "$B: hours CSV: p05 blank hours, 1 still checked in" "|1" \
		"$(python3 -c "import csv,sys; r=list(csv.DictReader(open(sys.argv[1], encoding='utf-8-sig'), delimiter=';')); print(' '.join(x['uren'] + '|' + x['nog_ingecheckt'] for x in r if x['naam'] == 'Ingrid B.'))" "$OUT/last.body")"
	t_eq "$B: p06 checked out at ws-04: 0.4 h everywhere" \
		"0.4/yes 0.4/yes 0.4/yes 0.4/yes 0.4/yes" "$(hours_of p06 ws-04 "$today")"
	local d3; d3=$(TZ=Europe/Amsterdam date -d "@$((w3 / 1000))" +%F)
	t_eq "$B: p09 forgot to check out at ws-03 (rule session_end): $h3 h everywhere, flagged" \
		"$h3/no $h3/no $h3/no $h3/no $h3/no" "$(hours_of p09 ws-03 "$d3")"
	"$HUB" org set --db "$DB" --id org-grubbehoeve --forgotten-checkout no_hours >/dev/null 2>&1
	t_eq "$B: rule no_hours: p09 has 0 h everywhere, flagged" \
		"0.0/no 0.0/no 0.0/no 0.0/no 0.0/no" "$(hours_of p09 ws-03 "$d3")"

	# Expected and present of ws-04: Today, presentielijst, no-shows agree.
	exp=$(dbq "$B" "$DB" "SELECT (SELECT COUNT(*) FROM enrolments WHERE programme_id = 'mjew-najaar' AND active = 1) + (SELECT COUNT(*) FROM assignments WHERE session_id = 'ws-04' AND active = 1)")
	t_eq "$B: ws-04 (running): expected $exp (enrolled + assigned), present 3 on Today, presentielijst, no-shows" \
		"$exp/3 $exp/3 $exp/3" "$(counts ws-04 "$today")"
	hreq GET "$HUB_URL/v1/dash/followup" "$CT" >/dev/null
	t_eq "$B: the drop-out list does not name p01, present today" "False" \
		"$(jget "any(x['person_id'] == 'p01' for x in d['dropouts'])")"
	n=$(jget "len([x for x in d['dropouts'] if x['programme']['id'] == 'mjew-najaar'])")
	t_check "$B: it still names the others who missed ws-02 and ws-03 ($n)" test "$n" -ge 1

	# ws-04 ends: the Follow-up overview shows the same counts as Today.
	now=$(date +%s%3N)
	dbq "$B" "$DB" "UPDATE sessions SET start_ms = $((now - 7200000)), end_ms = $((now - 60000)) WHERE id = 'ws-04'" >/dev/null
	t_eq "$B: ws-04 (ended): expected/present the same on Today, presentielijst, no-shows, Follow-up" \
		"$exp/3 $exp/3 $exp/3 $exp/3" "$(counts ws-04 "$today")"
	hreq GET "$HUB_URL/v1/dash/followup/noshows?session=ws-04" "$CT" >/dev/null
	t_eq "$B: ws-04's no-shows: the $((exp - 3)) expected not present, none of p01 p05 p06" \
		"$((exp - 3)) False" "$(jget "len(d['no_shows']), any(x['person_id'] in ('p01', 'p05', 'p06') for x in d['no_shows'])")"
	t_eq "$B: participants first, then volunteers (with their role)" "True True" \
		"$(jget "[x['role'] != '' for x in d['no_shows']] == sorted(x['role'] != '' for x in d['no_shows']), any(x['role'] for x in d['no_shows'])")"
	hreq GET "$HUB_URL/v1/dash/followup" "$CT" >/dev/null
	t_eq "$B: the overview's no-show count of ws-04 is the same" "$((exp - 3))" \
		"$(jget "' '.join(str(s['no_shows']) for s in d['sessions'] if s['id'] == 'ws-04')")"
	t_eq "$B: the drop-out list does not name p01 (present at ws-04, judged now)" "False" \
		"$(jget "any(x['person_id'] == 'p01' for x in d['dropouts'])")"
	hub_stop_all
}

rm -f "$OUT"/*.db*
figures_cases sqlite "sqlite:$OUT/figures_one.db"
if pg_start; then
	figures_cases postgresql "$(pg_createdb presentie_figures_one)"
else
	t_fail "postgresql: server starts" "see output above"
fi
t_done
