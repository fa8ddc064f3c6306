#!/usr/bin/env bash
# hub_ical.sh — private calendar feeds (issue 12 point 5) through the real
# hub on SQLite and on a PostgreSQL server this script starts: a coordinator
# issues an agenda link for a volunteer and for a programme; the feed,
# fetched without login, is parsed by python3-icalendar: the volunteer's
# assignments with the role in Dutch, times right in Europe/Amsterdam on
# both sides of DST (summer 14:00 = 12:00Z, winter 14:00 = 13:00Z), a
# naughty session title intact, location + room, a cancelled session as
# STATUS:CANCELLED, lines <= 75 octets with CRLF. Re-issuing kills the old
# link, revoking answers 404; another organisation's link never shows this
# organisation's data and its coordinator cannot touch ours; the endpoint is
# rate limited per address.
set -u
source tests/lib.sh
source tests/integration/hub_lib/hub.sh
source tests/integration/hub_lib/pg.sh
trap 'hub_stop_all; pg_stop' EXIT
CHECK=tests/integration/hub_lib/ical_check.py
PY=/usr/bin/python3   # Debian's, which has python3-icalendar (a pyenv python3 may come first in PATH)

# feed PATH FILE: GET the feed without credentials; prints the status
feed() { curl -s -m 30 -o "$2" -w '%{http_code}' "$HUB_URL$1"; }

ical_cases() {
	local B=$1 DB=$2 W=$OUT/$1 ct ctX st p1 p2 prog px title
	mkdir -p "$W"
	"$HUB" demo --db "$DB" >/dev/null 2>&1
	"$HUB" org create --db "$DB" --id org-x --name "Organisatie X" >/dev/null
	"$HUB" location create --db "$DB" --org org-x --id loc-x --name "Locatie X" --timezone Europe/Amsterdam >/dev/null
	echo "coordinator-x-password" | "$HUB" coordinator create --db "$DB" --org org-x --email coord@x.example >/dev/null
	dbq "$B" "$DB" "INSERT INTO people (org_id, id, display_name, first_name, chg) VALUES ('org-x', 'px', 'Xander X.', 'Xander', 1)" >/dev/null
	dbq "$B" "$DB" "INSERT INTO sessions (org_id, id, location_id, title, start_ms, end_ms, chg) VALUES ('org-x', 'sx', 'loc-x', 'Geheim X', $(( $(date +%s) * 1000 + 86400000 )), $(( $(date +%s) * 1000 + 90000000 )), 1)" >/dev/null
	dbq "$B" "$DB" "INSERT INTO assignments (org_id, session_id, person_id, role, chg) VALUES ('org-x', 'sx', 'px', 'catering', 1)" >/dev/null
	hub_start "$DB" || { t_fail "$B: hub starts" "no health answer"; return; }
	ct=$(login demo@presentie.test presentie-demo)
	ctX=$(login coord@x.example coordinator-x-password)
	t_check "$B: two coordinators of two organisations logged in" test -n "$ct" -a -n "$ctX"

	# ws-09 moves to a summer Thursday with a naughty title, ws-10 to a winter one, cancelled.
	title='Taal, café; "koffie" \ thee <script>alert(1)</script> ‪‪test‪ 𝕿𝖍𝖊 ẞ 😀 Ω≈ç√∫˜µ≤≥÷ — gevouwen'
	python3 -c 'import json,sys; print(json.dumps({"title": sys.argv[1], "date": "2027-07-01", "start": "14:00", "end": "16:00"}))' "$title" >"$W/p9.json"
	st=$(hreq PATCH "$HUB_URL/v1/dash/sessions/ws-09" "$ct" -H 'Content-Type: application/json' --data-binary @"$W/p9.json")
	t_eq "$B: ws-09 moved to Thu 1 July 2027 14:00 with a naughty title" 200 "$st"
	st=$(hreq PATCH "$HUB_URL/v1/dash/sessions/ws-10" "$ct" -d '{"date":"2027-01-07","start":"14:00","end":"16:00","cancelled":true}')
	t_eq "$B: ws-10 moved to Thu 7 January 2027 14:00 and cancelled" 200 "$st"
	# The demo assigns p05 to catering on both (dash_demo.c).
	t_eq "$B: p05 does catering on ws-09 and ws-10" 2 \
		"$(dbq "$B" "$DB" "SELECT COUNT(*) FROM assignments WHERE person_id = 'p05' AND role = 'catering' AND session_id IN ('ws-09', 'ws-10') AND active = 1")"

	st=$(hreq GET "$HUB_URL/v1/dash/ical/person/p05" "$ct")
	t_eq "$B: no agenda link yet" "200 False" "$st $(jget 'd["active"]')"
	st=$(hreq POST "$HUB_URL/v1/dash/ical/person/p05" "$ct")
	p1=$(jget 'd["path"]')
	t_eq "$B: an agenda link issued for p05" 201 "$st"
	st=$(feed "$p1" "$W/p05.ics")
	t_eq "$B: the feed answers without login as text/calendar" "200 text/calendar; charset=utf-8" \
		"$st $(curl -s -o /dev/null -w '%{content_type}' "$HUB_URL$p1")"
	t_eq "$B: every line <= 75 octets, CRLF" ok "$("$PY" "$CHECK" "$W/p05.ics" raw-ok)"
	t_eq "$B: UIDs unique, DTSTAMP on each" ok "$("$PY" "$CHECK" "$W/p05.ics" uids-unique)"
	"$PY" "$CHECK" "$W/p05.ics" events Europe/Amsterdam >"$W/p05.events"
	t_eq "$B: summer session: Catering at 14:00-16:00 local, naughty title intact, location + room" \
		"ws-09.catering.p05@presentie|2027-07-01 14:00|16:00|CONFIRMED|Catering: $title|Buurthuis De Grubbehoeve, Grote zaal" \
		"$(grep '^ws-09\.catering' "$W/p05.events")"
	t_eq "$B: winter session: 14:00 local too (other side of DST), STATUS:CANCELLED" \
		"ws-10.catering.p05@presentie|2027-01-07 14:00|16:00|CANCELLED" \
		"$(grep '^ws-10\.catering' "$W/p05.events" | cut -d'|' -f1-4)"
	grep -q 'DTSTART:20270701T120000Z' "$W/p05.ics" && grep -q 'DTSTART:20270107T130000Z' "$W/p05.ics"
	t_eq "$B: times in UTC with Z: 12:00Z in summer, 13:00Z in winter" 0 $?

	# The programme's feed: its sessions under their own titles.
	st=$(hreq POST "$HUB_URL/v1/dash/ical/programme/mjew-najaar" "$ct")
	prog=$(jget 'd["path"]')
	st="$st $(feed "$prog" "$W/prog.ics")"
	t_eq "$B: the programme's feed has ws-09 at 14:00 local under its title" \
		"201 200 ws-09@presentie|2027-07-01 14:00|16:00|CONFIRMED|$title" \
		"$st $("$PY" "$CHECK" "$W/prog.ics" events Europe/Amsterdam | grep '^ws-09@' | cut -d'|' -f1-5)"

	# Re-issue: the old link dies. Revoke: 404.
	st=$(hreq POST "$HUB_URL/v1/dash/ical/person/p05" "$ct")
	p2=$(jget 'd["path"]')
	t_eq "$B: re-issued: the new link works, the old one is 404" "201 200 404" \
		"$st $(feed "$p2" "$W/x.ics") $(feed "$p1" "$W/x.ics")"
	st=$(hreq DELETE "$HUB_URL/v1/dash/ical/person/p05" "$ct")
	t_eq "$B: revoked: 204, then the link is 404 and the state inactive" "204 404 False" \
		"$st $(feed "$p2" "$W/x.ics") $(hreq GET "$HUB_URL/v1/dash/ical/person/p05" "$ct" >/dev/null; jget 'd["active"]')"
	t_eq "$B: revoking again is 404; a made-up token is 404" "404 404" \
		"$(hreq DELETE "$HUB_URL/v1/dash/ical/person/p05" "$ct") $(feed /v1/ical/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics "$W/x.ics")"

	# Tenancy: org-x's link shows org-x only; org-x cannot issue or revoke ours.
	st=$(hreq POST "$HUB_URL/v1/dash/ical/person/px" "$ctX")
	px=$(jget 'd["path"]')
	st="$st $(feed "$px" "$W/px.ics")"
	t_eq "$B: org-x's feed holds its own session only" "201 200 sx.catering.px@presentie" \
		"$st $("$PY" "$CHECK" "$W/px.ics" events Europe/Amsterdam | cut -d'|' -f1 | tr '\n' ' ' | sed 's/ $//')"
	t_eq "$B: no trace of the demo organisation in org-x's feed" 0 "$(grep -c -i 'grubbehoeve\|ws-0\|Maak je' "$W/px.ics")"
	t_eq "$B: org-x's coordinator: our person and programme are 404" "404 404 404" \
		"$(hreq POST "$HUB_URL/v1/dash/ical/person/p05" "$ctX") $(hreq POST "$HUB_URL/v1/dash/ical/programme/mjew-najaar" "$ctX") $(hreq DELETE "$HUB_URL/v1/dash/ical/programme/mjew-najaar" "$ctX")"
	t_eq "$B: ... and our programme link still works" 200 "$(feed "$prog" "$W/x.ics")"
	t_eq "$B: without login the dashboard side is 401" 401 "$(hreq POST "$HUB_URL/v1/dash/ical/person/p05" "")"

	# Erasing the person (AVG) deletes their link too.
	st=$(hreq POST "$HUB_URL/v1/dash/ical/person/p05" "$ct")
	p1=$(jget 'd["path"]')
	python3 -c 'import json,sys; print(json.dumps({"confirm": sys.argv[1]}))' \
		"$(dbq "$B" "$DB" "SELECT display_name FROM people WHERE org_id = 'org-grubbehoeve' AND id = 'p05'")" >"$W/erase.json"
	st="$st $(feed "$p1" "$W/x.ics") $(hreq POST "$HUB_URL/v1/dash/people/p05/erase" "$ct" --data-binary @"$W/erase.json")"
	t_eq "$B: p05 erased: the link is 404 and its row is gone" "201 200 200 404 0" \
		"$st $(feed "$p1" "$W/x.ics") $(dbq "$B" "$DB" "SELECT COUNT(*) FROM ical_feeds WHERE target_id = 'p05'")"
	hub_stop_all
}

# The rate limit: ICAL_PER_MIN (120) fetches per address per minute, then 429.
rate_case() {
	local DB=$1 codes
	hub_start "$DB" || { t_fail "rate: hub starts" "no health answer"; return; }
	codes=$(for _ in $(seq 1 125); do curl -s -m 10 -o /dev/null -w '%{http_code}\n' \
		"$HUB_URL/v1/ical/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics"; done | sort | uniq -c | awk '{print $2 ":" $1}' | tr '\n' ' ')
	t_eq "sqlite: 120 fetches a minute per address, then 429" "404:120 429:5 " "$codes"
	hub_stop_all
}

rm -f "$OUT"/*.db*
ical_cases sqlite "sqlite:$OUT/ical.db"
rate_case "sqlite:$OUT/rate.db"
if pg_start; then
	ical_cases postgresql "$(pg_createdb presentie_ical)"
else
	t_fail "postgresql: server starts" "see output above"
fi
t_done
