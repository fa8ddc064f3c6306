#!/usr/bin/env bash
# hub_today_locations.sh — Today and the reports show every location of an
# organisation: they once read 64 (DASH_LOCATIONS_MAX, DASH_LOCS_MAX,
# FUNDER_LOCS_MAX) and silently left out the rest. On SQLite and
# PostgreSQL: the demo organisation plus 70 locations, each with a session
# on one day; GET /v1/dash/today?date= lists all of them, each with its
# session, once, in (name, id) order; a guest at the last location (by
# name) is counted by the guests report and its CSV.
set -u
source tests/lib.sh
source tests/integration/hub_lib/hub.sh
source tests/integration/hub_lib/pg.sh
trap 'hub_stop_all; pg_stop' EXIT
NLOC=70
DAY=2030-01-10

# today_check NAME: $OUT/last.body (Today) against the NLOC locations
today_check() {
	python3 - "$OUT/last.body" "$NLOC" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); n = int(sys.argv[2])
locs = d["locations"]
ids = [l["id"] for l in locs]
assert len(ids) == len(set(ids)), "a location twice"
keys = [(l["name"], l["id"]) for l in locs]
assert keys == sorted(keys), "not in (name, id) order"
mine = {l["id"]: l for l in locs if l["id"].startswith("loc-t")}
for i in range(1, n + 1):
    l = mine.get("loc-t%03d" % i)
    assert l is not None, "loc-t%03d missing (%d of %d shown)" % (i, len(mine), n)
    s = [x["id"] for x in l["sessions"]]
    assert s == ["t-%03d" % i], "loc-t%03d sessions %s" % (i, s)
assert len(mine) == n
PY
}

run() {
	local name=$1 db=$2 tok st i csv=$OUT/$1-sessions.csv
	"$HUB" demo --db "$db" >"$OUT/$name-demo.out" 2>&1
	printf 'session_id;programme_id;title;date;start;end;room;kind;location_id\r\n' >"$csv"
	for i in $(seq 1 "$NLOC"); do
		"$HUB" location create --db "$db" --org org-grubbehoeve --id "$(printf 'loc-t%03d' "$i")" \
			--name "$(printf 'Testlocatie %03d' "$i")" >/dev/null ||
			{ t_fail "$name: location $i created" "location create failed"; return; }
		printf 't-%03d;mjew-najaar;Sessie %03d;%s;10:00;12:00;Zaal;group;loc-t%03d\r\n' \
			"$i" "$i" "$DAY" "$i" >>"$csv"
	done
	"$HUB" import sessions "$csv" --db "$db" --org org-grubbehoeve >"$OUT/$name-import.out" 2>&1 ||
		{ t_fail "$name: sessions imported" "$(tail -n 2 "$OUT/$name-import.out")"; return; }
	hub_start "$db" || { t_fail "$name: hub starts" "no health answer"; return; }
	tok=$(login demo@presentie.test presentie-demo)
	st=$(hreq GET "$HUB_URL/v1/dash/today?date=$DAY" "$tok")
	t_eq "$name: Today answers" 200 "$st"
	t_check "$name: Today lists all $NLOC locations (more than a page of 64), each with its session" \
		today_check
	# a guest at the last location by name (loc-t070), through a kiosk there
	local ktok wall
	ktok=$(enrol "$("$HUB" device create --db "$db" --location "$(printf 'loc-t%03d' "$NLOC")" | tail -n 1)")
	wall=$(python3 -c 'import datetime, zoneinfo, sys; print(int(datetime.datetime.fromisoformat(sys.argv[1] + "T10:30").replace(tzinfo=zoneinfo.ZoneInfo("Europe/Amsterdam")).timestamp() * 1000))' "$DAY")
	gen_batch "$OUT/$name-guest.json" 1 1 kind=guest person= session="$(printf 't-%03d' "$NLOC")" wall0="$wall"
	st=$(hreq POST "$HUB_URL/v1/events" "$ktok" -H 'Content-Type: application/json' --data-binary "@$OUT/$name-guest.json")
	t_eq "$name: a guest at the last location is taken in" 200 "$st"
	st=$(hreq GET "$HUB_URL/v1/dash/reports/guests?from=$DAY&to=$DAY" "$tok")
	t_eq "$name: the guests report counts the guest at location $NLOC of $NLOC" "200 1" \
		"$st $(jget 'sum(int(r["guests"]) for r in d["rows"] if r["location_id"] == "loc-t%03d" % '"$NLOC"')')"
	st=$(hreq GET "$HUB_URL/v1/dash/reports/guests.csv?from=$DAY&to=$DAY" "$tok")
	t_eq "$name: and so does its CSV" "200 1" \
		"$st $(tr -d '\r' <"$OUT/last.body" | grep -c "Testlocatie $(printf '%03d' "$NLOC");1$")"
	hub_stop_all
}

rm -f "$OUT"/today-loc.db*
run sqlite "sqlite:$OUT/today-loc.db"
if ! pg_start; then
	t_fail "postgresql: server started" "pg_start failed"
	exit 1
fi
run postgresql "$(pg_createdb presentie_today_loc)"
t_done
