#!/usr/bin/env bash
# hub_followup.sh — the dashboard's Follow-up counts no-shows only for
# sessions that have ended (issue 11 point 4), through the real hub's API on
# SQLite and on a PostgreSQL server this script starts. The demo's workshop
# ws-04 runs now (and win-01 too): enrolled people who have not tapped yet
# are not no-shows, so neither is listed; ws-03 (a week ago) is, with all its
# expected people (enrolled + assigned volunteers, docs/DASHBOARD.md) missing. One check-in reaches ws-04 from an enrolled kiosk;
# once ws-04 has ended (its end moved to a minute ago) it is listed with the
# others as no-shows.
set -u
source tests/lib.sh
source tests/integration/hub_lib/hub.sh
source tests/integration/hub_lib/pg.sh
trap 'hub_stop_all; pg_stop' EXIT

# listed: "ID:no_shows" of the sessions ws-03, ws-04 and win-01 in GET
# /v1/dash/followup, sorted (ws-01/02 are near the 14-day edge).
listed() {
	jget '" ".join(sorted("%s:%s" % (s["id"], s["no_shows"]) for s in d["sessions"] if s["id"] in ("ws-03", "ws-04", "win-01")))'
}

followup_cases() {
	local B=$1 DB=$2 W=$OUT/$1 code tok ct st now expected e3
	mkdir -p "$W"
	code=$("$HUB" demo --db "$DB" 2>/dev/null | tail -n 1)
	hub_start "$DB" || { t_fail "$B: hub starts" "no health answer"; return; }
	tok=$(enrol "$code")
	ct=$(login demo@presentie.test presentie-demo)
	t_check "$B: a kiosk enrolled and a coordinator logged in" test -n "$tok" -a -n "$ct"
	# expected: enrolled in the programme + assigned to the session (docs/DASHBOARD.md)
	expected=$(dbq "$B" "$DB" "SELECT COUNT(*) FROM enrolments WHERE programme_id = 'mjew-najaar' AND active = 1")
	e3=$((expected + $(dbq "$B" "$DB" "SELECT COUNT(*) FROM assignments WHERE session_id = 'ws-03' AND active = 1")))
	expected=$((expected + $(dbq "$B" "$DB" "SELECT COUNT(*) FROM assignments WHERE session_id = 'ws-04' AND active = 1")))
	now=$(date +%s%3N)
	t_eq "$B: ws-04 and win-01 run now" 2 "$(dbq "$B" "$DB" "SELECT COUNT(*) FROM sessions WHERE id IN ('ws-04', 'win-01') AND start_ms <= $now AND end_ms > $now")"

	# One enrolled person (p01, Fatima) taps in at ws-04.
	gen_batch "$W/in.json" 1 1 person=p01 session=ws-04 wall0="$now" uuidbase=0193f011
	st=$(hreq POST "$HUB_URL/v1/events" "$tok" --data-binary @"$W/in.json")
	t_eq "$B: p01 checked in at ws-04" "200 1" "$st $(jget 'd["acked_seq"]')"

	st=$(hreq GET "$HUB_URL/v1/dash/followup" "$ct")
	t_eq "$B: running sessions have no no-shows: only ws-03 (ended) is listed, all $e3 missing" \
		"200 ws-03:$e3" "$st $(listed)"

	# ws-04 ends (a minute ago): now its missing people are no-shows.
	now=$(date +%s%3N)
	dbq "$B" "$DB" "UPDATE sessions SET start_ms = $((now - 7200000)), end_ms = $((now - 60000)) WHERE id = 'ws-04'" >/dev/null
	st=$(hreq GET "$HUB_URL/v1/dash/followup" "$ct")
	t_eq "$B: once ws-04 has ended it is listed with $((expected - 1)) no-shows (win-01 still runs)" \
		"200 ws-03:$e3 ws-04:$((expected - 1))" "$st $(listed)"
	t_eq "$B: ws-04's counts: expected $expected, present 1" "$expected 1" \
		"$(jget '" ".join("%s %s" % (s["expected"], s["present"]) for s in d["sessions"] if s["id"] == "ws-04")')"
	st=$(hreq GET "$HUB_URL/v1/dash/followup/noshows?session=ws-04" "$ct")
	t_eq "$B: its no-show list names them, not p01" "200 $((expected - 1)) False" \
		"$st $(jget 'len(d["no_shows"]), any(x["person_id"] == "p01" for x in d["no_shows"])')"
	hub_stop_all
}

rm -f "$OUT"/*.db*
followup_cases sqlite "sqlite:$OUT/followup.db"
if pg_start; then
	followup_cases postgresql "$(pg_createdb presentie_followup)"
else
	t_fail "postgresql: server starts" "see output above"
fi
t_done
