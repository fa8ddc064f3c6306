#!/usr/bin/env bash
# hub_manual.sh — presence marked by hand on the dashboard (issue 14 point
# 14) through the real hub's API, on SQLite and on a PostgreSQL server this
# script starts: a coordinator marks an expected person present (default:
# the session's start) and fills in a forgotten check-out; a second mark
# changes nothing and says so; wrong times, a person not expected or not
# present, an already closed presence are refused with clear errors; both
# are undone (withdrawn); every step is in the audit log in words (person,
# session); the presentielijst, the attendance export (HTTP and CLI) and the
# hours report flag them "manual" and count their hours by the one rule
# (presence.h); the pseudo-device stays off the device lists and Today;
# a kiosk at the location learns the manual check-in through the tap relay;
# another organisation's coordinator gets 404.
set -u
source tests/lib.sh
source tests/integration/hub_lib/hub.sh
source tests/integration/hub_lib/pg.sh
trap 'hub_stop_all; pg_stop' EXIT
Y=org-grubbehoeve
L=loc-grubbehoeve

# mk TOKEN SESSION PERSON KIND [JSON]: POST a manual mark; prints the status
mk() { hreq POST "$HUB_URL/v1/dash/manual/$2/$3/$4" "$1" -H 'Content-Type: application/json' -d "${5:-{\}}"; }
# un TOKEN SESSION PERSON KIND: withdraw it; prints the status
un() { hreq DELETE "$HUB_URL/v1/dash/manual/$2/$3/$4" "$1"; }
# row PERSON KEYS: the presentielijst row of PERSON (last body) as "k=v ..."
row() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
r=[x for x in d["rows"] if x["person_id"]==sys.argv[2]]
print(" ".join("%s=%s" % (k, r[0].get(k)) for k in sys.argv[3].split(",")) if r else "none")' "$OUT/last.body" "$1" "$2"; }
# audit ACTION PERSON: the newest audit row of ACTION on PERSON in words
audit() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
r=[x for x in d["rows"] if x["action"]==sys.argv[2] and x["target"]==sys.argv[3]]
print("%s|%s|%s|%s" % (r[0]["coordinator"], r[0]["target_kind"], r[0]["target_label"], r[0]["detail_label"]) if r else "none")' \
	"$OUT/last.body" "$1" "$2"; }

cases() {
	local B=$1 DB=$2 W=$OUT/$1 code tok ct co st day s0 s1 r0 r1 n0 n1
	mkdir -p "$W"
	code=$("$HUB" demo --db "$DB" 2>"$W/demo.err" | tail -n 1)
	"$HUB" org create --db "$DB" --name "Andere Stichting" --id org-other >/dev/null
	printf 'other-org-password\n' | "$HUB" coordinator create --db "$DB" --org org-other \
		--email other@presentie.test >/dev/null
	# yesterday 10:00-12:00 in Amsterdam (ended), and one running now
	read -r day s0 s1 r0 r1 < <(python3 -c '
import datetime as d, zoneinfo, time
z = zoneinfo.ZoneInfo("Europe/Amsterdam"); y = d.datetime.now(z).date() - d.timedelta(days=1)
ms = lambda h, m: int(d.datetime(y.year, y.month, y.day, h, m, tzinfo=z).timestamp() * 1000)
n = int(time.time() * 1000)
print(y.isoformat(), ms(10, 0), ms(12, 0), n - 1800000, n + 3600000)')
	dbq "$B" "$DB" "INSERT INTO sessions (org_id, id, programme_id, location_id, title, start_ms, end_ms, chg) VALUES
		('$Y', 'mt-1', 'mjew-najaar', '$L', 'Handmatig gisteren', $s0, $s1, 1),
		('$Y', 'mt-2', 'mjew-najaar', '$L', 'Handmatig nu', $r0, $r1, 1)" >/dev/null
	dbq "$B" "$DB" "INSERT INTO session_slots (org_id, session_id, role, slots) VALUES ('$Y', 'mt-1', 'coach', 1)" >/dev/null
	hub_start "$DB" || { t_fail "$B: hub starts" "see $OUT/hub-*.log"; return; }
	tok=$(enrol "$code")
	ct=$(login demo@presentie.test presentie-demo)
	co=$(login other@presentie.test other-org-password)
	t_check "$B: a kiosk and two coordinators of two organisations" test -n "$tok" -a -n "$ct" -a -n "$co"

	# Daan (p02) tapped in at 10:05 at the kiosk and never out
	gen_batch "$W/in.json" 1 1 person=p02 session=mt-1 wall0=$((s0 + 300000))
	st=$(hreq POST "$HUB_URL/v1/events" "$tok" --data-binary @"$W/in.json")
	t_eq "$B: Daan's kiosk check-in pushed" 200 "$st"

	# --- mark present by hand
	st=$(mk "$ct" mt-1 p01 check_in)
	t_eq "$B: Fatima (p01) marked present by hand: 201, at the session's start" \
		"201 True $(python3 -c "import datetime as d; print(d.datetime.fromtimestamp($s0/1000, d.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ'))")" \
		"$st $(jget 'd["changed"]') $(jget 'd["check_in"]')"
	n0=$(dbq "$B" "$DB" "SELECT COUNT(*) FROM events")
	st=$(mk "$ct" mt-1 p01 check_in)
	t_eq "$B: marked again: 200, nothing changed, and it says so" "200 False already present: nothing changed" \
		"$st $(jget 'd["changed"]') $(jget 'd["message"]')"
	st=$(mk "$ct" mt-1 p02 check_in '{"time":"10:30"}')
	t_eq "$B: Daan, present by his card: 200, nothing changed" "200 False" "$st $(jget 'd["changed"]')"
	n1=$(dbq "$B" "$DB" "SELECT COUNT(*) FROM events")
	t_eq "$B: no event written by the two repeated marks" "$n0" "$n1"

	# --- validation
	st=$(mk "$ct" mt-1 p14 check_in)
	t_eq "$B: Peter (not enrolled, no role) refused: 409 not_expected" "409 not_expected" "$st $(jget 'd["error"]')"
	st=$(mk "$ct" mt-1 nobody check_in)
	t_eq "$B: an unknown person: 404" 404 "$st"
	st=$(mk "$ct" mt-1 p03 check_in '{"time":"12:30"}')
	t_eq "$B: a check-in after the session's end: 400 bad_time" "400 bad_time" "$st $(jget 'd["error"]')"
	st=$(mk "$ct" mt-1 p03 check_in '{"time":"8u30"}')
	t_eq "$B: a time that is not HH:MM: 400 bad_time" "400 bad_time" "$st $(jget 'd["error"]')"
	st=$(mk "$ct" mt-1 p03 check_out '{"time":"11:00"}')
	t_eq "$B: a check-out for someone not present: 409 not_present" "409 not_present" "$st $(jget 'd["error"]')"
	st=$(mk "$ct" mt-1 p02 check_out)
	t_eq "$B: a check-out without a time: 400" 400 "$st"
	st=$(mk "$ct" mt-1 p02 check_out '{"time":"10:00"}')
	t_eq "$B: a check-out before the check-in (10:05): 400 bad_time" "400 bad_time" "$st $(jget 'd["error"]')"
	st=$(mk "$ct" mt-2 p04 check_in)
	t_eq "$B: p04 marked present in the running session" 201 "$st"
	st=$(mk "$ct" mt-2 p04 check_out "{\"time\":\"$(python3 -c "import datetime as d, zoneinfo; print((d.datetime.now(zoneinfo.ZoneInfo('Europe/Amsterdam')) + d.timedelta(minutes=40)).strftime('%Y-%m-%d %H:%M'))")\"}")
	t_eq "$B: a check-out in the future: 400 bad_time" "400 bad_time" "$st $(jget 'd["error"]')"

	# --- fix the forgotten check-out
	st=$(mk "$ct" mt-1 p02 check_out '{"time":"11:30"}')
	t_eq "$B: Daan's forgotten check-out filled in (11:30): 201" 201 "$st"
	st=$(mk "$ct" mt-1 p02 check_out '{"time":"11:45"}')
	t_eq "$B: a second check-out: 409 checked_out" "409 checked_out" "$st $(jget 'd["error"]')"

	# a volunteer: hours by the one rule
	st=$(hreq POST "$HUB_URL/v1/dash/sessions/mt-1/assignments" "$ct" -d '{"person_id":"p14","role":"coach"}')
	t_eq "$B: Peter assigned as coach" 201 "$st"
	st=$(mk "$ct" mt-1 p14 check_in '{"time":"09:55"}')
	t_eq "$B: the coach marked present at 09:55" 201 "$st"
	st=$(mk "$ct" mt-1 p14 check_out '{"time":"11:40"}')
	t_eq "$B: and his check-out at 11:40" 201 "$st"

	# --- the presentielijst
	st=$(hreq GET "$HUB_URL/v1/dash/reports/presentielijst?session=mt-1" "$ct")
	t_eq "$B: presentielijst: 3 of 9 expected present, manual flags, hours by the rule" \
		"200 9 3|present=True manual=check_in hours=None|manual=check_out hours=1.42 checked_out=yes|manual=check_in+check_out hours=1.75 role=coach|present=False manual=None" \
		"$st $(jget 'd["expected"]') $(jget 'd["present"]')|$(row p01 present,manual,hours)|$(row p02 manual,hours,checked_out)|$(row p14 manual,hours,role)|$(row p03 present,manual)"
	st=$(hreq GET "$HUB_URL/v1/dash/reports/presentielijst.csv?session=mt-1" "$ct")
	t_eq "$B: presentielijst CSV: a column handmatig" \
		"200 binnenkomst|vertrektijd|binnenkomst en vertrektijd" \
		"$st $(python3 -c 'import csv,sys; r={x["naam"]: x["handmatig"] for x in csv.DictReader(open(sys.argv[1],encoding="utf-8-sig"),delimiter=";")}; print(r["Fatima E."]+"|"+r["Daan V."]+"|"+r["Peter D."])' "$OUT/last.body")"
	st=$(hreq GET "$HUB_URL/v1/export/presentielijst.json?session=mt-1" "$ct")
	t_eq "$B: export presentielijst.json: manual per person" "200 check_in||check_in+check_out" \
		"$st $(jget '"|".join({r["person_id"]: r["manual"] for r in d}[p] for p in ("p01","p03","p14"))')"

	# --- the attendance export, HTTP and CLI: the same figures, flagged
	st=$(hreq GET "$HUB_URL/v1/export/attendance.csv?from=$day&to=$day" "$ct")
	t_eq "$B: attendance CSV: manual and hours per person" "200 p01:check_in:|p02:check_out:1,42|p14:check_in+check_out:1,75" \
		"$st $(python3 -c 'import csv,sys; r=sorted(x["person_id"]+":"+x["manual"]+":"+x["hours"] for x in csv.DictReader(open(sys.argv[1],encoding="utf-8-sig"),delimiter=";") if x["session_id"]=="mt-1"); print("|".join(r))' "$OUT/last.body")"
	"$HUB" export attendance --db "$DB" --from "$day" --to "$day" --format json >"$W/cli.json" 2>"$W/cli.err"
	t_eq "$B: CLI export: the same flags and hours" "p01:check_in:None|p02:check_out:1.42|p14:check_in+check_out:1.75" \
		"$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d=d["rows"] if isinstance(d,dict) else d; print("|".join(sorted("%s:%s:%s" % (r["person_id"], r["manual"], r["hours"]) for r in d if r["session_id"]=="mt-1")))' "$W/cli.json")"

	# --- the hours report: Peter's 1.75 h, one presence by hand
	st=$(hreq GET "$HUB_URL/v1/dash/reports/hours?from=$day&to=$day" "$ct")
	t_eq "$B: hours report: Peter 1.75 h, 1 by hand" "200 1.75 1" \
		"$st $(jget '[r for r in d["rows"] if r["person_id"]=="p14"][0]["hours"]') $(jget '[r for r in d["rows"] if r["person_id"]=="p14"][0]["manual"]')"

	# --- the pseudo-device: on no list, in no Today
	st=$(hreq GET "$HUB_URL/v1/dash/setup" "$ct")
	t_eq "$B: setup's device list: no pseudo-device" "200 False" "$st $(jget 'any(x["id"].startswith("manual:") for x in d["devices"])')"
	st=$(hreq GET "$HUB_URL/v1/dash/today?date=$day" "$ct")
	t_check "$B: Today names no pseudo-device" bash -c "[ $st = 200 ] && ! grep -q -e 'manual:' -e 'Handmatig (dashboard)' '$OUT/last.body'"
	t_eq "$B: Today flags the same presences manual, with the same hours" "p01:check_in:None p02:check_out:1.42 p14:check_in+check_out:1.75" \
		"$(jget '" ".join("%s:%s:%s" % (p["person_id"], p["manual"], p["hours"]) for l in d["locations"] for x in l["sessions"] if x["id"]=="mt-1" for p in sorted(x["people"], key=lambda q: q["person_id"] or "") if p["manual"])')"
	t_eq "$B: the pseudo-device exists, status manual, no token" "manual|1" \
		"$(dbq "$B" "$DB" "SELECT status || '|' || CASE WHEN token_hash IS NULL THEN 1 ELSE 0 END FROM devices WHERE id = 'manual:$Y'")"

	# --- the relay: a kiosk at the location learns p04's manual check-in
	st=$(hreq GET "$HUB_URL/v1/changes?cursor=&taps=0" "$tok")
	t_eq "$B: the kiosk's pull relays the manual check-in of p04 (mt-2)" "200 1" \
		"$st $(jget 'sum(1 for t in d.get("taps", []) if t["person_id"]=="p04" and t["session_id"]=="mt-2" and t["kind"]=="check_in")')"

	# --- the audit log, in words
	st=$(hreq GET "$HUB_URL/v1/dash/audit?limit=500" "$ct")
	t_eq "$B: audit: the manual check-in names who, whom and which session" \
		"demo@presentie.test|person|Fatima E.|Handmatig gisteren" "$(audit presence.manual_in p01)"
	t_eq "$B: audit: the check-out fix" "demo@presentie.test|person|Daan V.|Handmatig gisteren" "$(audit presence.manual_out p02)"

	# --- other tenant
	st=$(mk "$co" mt-1 p03 check_in)
	t_eq "$B: another organisation's coordinator: 404 (mark)" 404 "$st"
	st=$(un "$co" mt-1 p01 check_in)
	t_eq "$B: another organisation's coordinator: 404 (withdraw)" 404 "$st"
	st=$(mk "" mt-1 p03 check_in)
	t_eq "$B: without a login: 401" 401 "$st"

	# --- undo
	st=$(un "$ct" mt-1 p02 check_out)
	t_eq "$B: Daan's check-out fix withdrawn: 204" 204 "$st"
	st=$(un "$ct" mt-1 p02 check_out)
	t_eq "$B: withdrawn again: 404" 404 "$st"
	st=$(un "$ct" mt-1 p02 check_in)
	t_eq "$B: Daan's kiosk check-in is no manual one: 404" 404 "$st"
	st=$(un "$ct" mt-1 p01 check_in)
	t_eq "$B: Fatima's manual check-in withdrawn: 204" 204 "$st"
	st=$(hreq GET "$HUB_URL/v1/dash/reports/presentielijst?session=mt-1" "$ct")
	t_eq "$B: after undo: Fatima not present, Daan present without check-out, 2 present" \
		"200 2|present=False manual=None|present=True manual=None check_out=None" \
		"$st $(jget 'd["present"]')|$(row p01 present,manual)|$(row p02 present,manual,check_out)"
	st=$(hreq GET "$HUB_URL/v1/dash/audit?limit=500" "$ct")
	t_eq "$B: audit: both withdrawals named" "demo@presentie.test|person|Fatima E.|Handmatig gisteren demo@presentie.test|person|Daan V.|Handmatig gisteren" \
		"$(audit presence.manual_in_withdrawn p01) $(audit presence.manual_out_withdrawn p02)"

	# --- two coordinators at once: one mark, the others told nothing changed
	t_eq "$B: 8 simultaneous marks of one person: one 201, seven 200" "1 7" "$(python3 - "$HUB_URL" "$ct" <<'PY'
import sys, threading, urllib.request, urllib.error
url, tok = sys.argv[1:3]
res = []
def one():
    rq = urllib.request.Request(url + "/v1/dash/manual/mt-1/p07/check_in", data=b'{"time":"10:10"}', method="POST",
        headers={"Authorization": "Bearer " + tok, "Content-Type": "application/json"})
    try:
        res.append(urllib.request.urlopen(rq, timeout=30).status)
    except urllib.error.HTTPError as e:
        res.append(e.code)
ts = [threading.Thread(target=one) for _ in range(8)]
[t.start() for t in ts]
[t.join() for t in ts]
print(res.count(201), res.count(200))
PY
)"
	t_eq "$B: and one event behind it" 1 "$(dbq "$B" "$DB" "SELECT COUNT(*) FROM events WHERE person_id = 'p07' AND session_id = 'mt-1'")"
	hub_stop_all
}

rm -f "$OUT"/*.db*
cases sqlite "sqlite:$OUT/manual.db"
if pg_start; then
	cases postgresql "$(pg_createdb presentie_manual)"
else
	t_fail "postgresql: server starts" "see output above"
fi
t_done
