#!/usr/bin/env bash
# hub_tenancy_channel.sh — no activity side channel between organisations
# (issue 10 point 6), through the real hub on loopback, on SQLite and on a
# PostgreSQL server this script starts: organisation X's events and master
# data move neither Y's Today ETag nor Y's /v1/changes cursor, Y's own do;
# Y's audit list pages without global ids; and a kiosk holding a cursor of
# the global counter (before migration 4) keeps syncing: nothing lost,
# nothing repeated.
set -u
source tests/lib.sh
source tests/integration/hub_lib/hub.sh
source tests/integration/hub_lib/pg.sh
trap 'hub_stop_all; pg_stop' EXIT
PULL=tests/integration/hub_lib/pull.py

# pull TOKEN CURSOR: the JSON summary of pull.py into $OUT/pull.json
pull() { python3 "$PULL" "$HUB_URL" "$1" "$2" >"$OUT/pull.json"; }
pj() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); exec("print(" + sys.argv[2] + ")")' "$OUT/pull.json" "$1"; }
# today_hash TOKEN: the ETag of GET /v1/dash/today without its minute part
today_hash() {
	hreq GET "$HUB_URL/v1/dash/today" "$1" >/dev/null
	tr -d '\r' <"$OUT/last.headers" | sed -n 's/^[Ee][Tt][Aa][Gg]: W\/"\(t[0-9a-f]*\)-.*/\1/p'
}

# setup BACKEND URL: demo organisation Y plus organisation X with a coordinator.
setup() {
	local B=$1 DB=$2 W=$OUT/$1
	mkdir -p "$W"
	CODE_Y=$("$HUB" demo --db "$DB" 2>/dev/null | tail -n 1)
	"$HUB" org create --db "$DB" --id org-x --name "Organisatie X" >/dev/null
	"$HUB" location create --db "$DB" --org org-x --id loc-x --name "Huis X" >/dev/null
	printf 'person_id;display_name;consent_date\npx1;Xena X.;2025-01-01\n' >"$W/px.csv"
	"$HUB" import people "$W/px.csv" --db "$DB" --org org-x >/dev/null
	echo "coordinator-x-password" | "$HUB" coordinator create --db "$DB" --org org-x \
		--email coord@x.example >/dev/null
	CODE_X=$("$HUB" device create --db "$DB" --location loc-x | tail -n 1)
}

channel_cases() {
	local B=$1 DB=$2 W=$OUT/$1 tokY tokX ctY ctX cy hy st next1 i
	setup "$B" "$DB"
	hub_start "$DB" || { t_fail "$B: hub starts" "no health answer"; return; }
	tokY=$(enrol "$CODE_Y"); tokX=$(enrol "$CODE_X")
	ctY=$(login demo@presentie.test presentie-demo); ctX=$(login coord@x.example coordinator-x-password)
	t_eq "$B: two organisations, a kiosk and a coordinator each" "43 43 43 43" \
		"${#tokY} ${#tokX} ${#ctY} ${#ctX}"

	# Y is synced and has looked at Today.
	pull "$tokY" ""; cy=$(pj 'd["cursor"]')
	hy=$(today_hash "$ctY")
	t_check "$B: Y's Today answers with an ETag" test -n "$hy"

	# X is busy: events, master data (import, a kiosk's new card), its own pulls.
	gen_batch "$W/x1.json" 1 20 person=px1 session= uuidbase=0193ffa0
	st=$(hreq POST "$HUB_URL/v1/events" "$tokX" --data-binary @"$W/x1.json")
	t_eq "$B: X's kiosk delivers 20 events" 200 "$st"
	printf 'person_id;display_name;consent_date\npx2;Xavier X.;2025-01-01\npx3;Xia X.;2025-01-01\n' >"$W/px2.csv"
	"$HUB" import people "$W/px2.csv" --db "$DB" --org org-x >/dev/null
	gen_batch "$W/x2.json" 21 1 person=px1 session= uuidbase=0193ffa1 kind=credential_enrolled \
		payload='{"kind":"card","mac":"'"$(printf 'ab%.0s' $(seq 1 32))"'"}'
	hreq POST "$HUB_URL/v1/events" "$tokX" --data-binary @"$W/x2.json" >/dev/null
	pull "$tokX" ""
	t_check "$B: X's kiosk sees X's new people" python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert {"px2","px3"} <= set(d["people"])' "$OUT/pull.json"

	t_eq "$B: X's events and master data do not change Y's Today ETag" "$hy" "$(today_hash "$ctY")"
	pull "$tokY" "$cy"
	t_eq "$B: X's writes do not move Y's /v1/changes cursor (same cursor, no rows)" "$cy 0" \
		"$(pj 'd["cursor"], d["rows"]' | tr -d "(),'")"

	# Y's own activity does.
	gen_batch "$W/y1.json" 1 2 person=p01 session= uuidbase=0193ffb0
	hreq POST "$HUB_URL/v1/events" "$tokY" --data-binary @"$W/y1.json" >/dev/null
	st=$(today_hash "$ctY")
	t_check "$B: Y's own events change Y's Today ETag" test -n "$st" -a "$st" != "$hy"
	printf 'person_id;display_name;consent_date\npy9;Yara Y.;2025-01-01\n' >"$W/py.csv"
	"$HUB" import people "$W/py.csv" --db "$DB" --org org-grubbehoeve >/dev/null
	hy=$(today_hash "$ctY")
	t_check "$B: Y's own master data changes Y's Today ETag" test -n "$hy" -a "$hy" != "$st"
	pull "$tokY" "$cy"
	t_eq "$B: Y's own change moves Y's cursor and brings the row" "True py9" \
		"$(pj 'd["cursor"] != "'"$cy"'", " ".join(d["people"])' | tr -d "(),'")"
	cy=$(pj 'd["cursor"]')
	pull "$tokY" "$cy"
	t_eq "$B: and the next pull is empty" "$cy 0" "$(pj 'd["cursor"], d["rows"]' | tr -d "(),'")"

	# Audit: paged by time, no global id; rows of one millisecond and other
	# organisations' rows in between.
	for i in 1 2 3 4 5; do
		dbq "$B" "$DB" "INSERT INTO audit_log (org_id, at_ms, coordinator_id, email, action, target, detail) VALUES ('org-x', 1700000000000, 'c', 'x@x', 'export', '', 'x$i'), ('org-grubbehoeve', 1700000000000, 'c', 'y@y', 'export', '', 'tie$i')"
	done
	dbq "$B" "$DB" "INSERT INTO audit_log (org_id, at_ms, coordinator_id, email, action, target, detail) VALUES ('org-grubbehoeve', 1700000000001, 'c', 'y@y', 'export', '', 'after'), ('org-grubbehoeve', 1699999999999, 'c', 'y@y', 'export', '', 'before')"
	st=$(hreq GET "$HUB_URL/v1/dash/audit?limit=500" "$ctY")
	cp "$OUT/last.body" "$W/audit-all.json"
	t_check "$B: Y's audit rows carry no global id" python3 -c '
import json,sys; d=json.load(open(sys.argv[1])); r=d["rows"]
assert r and all("id" not in x for x in r) and d["next"] is None, d
det=[x["detail"] for x in r if x["coordinator"]=="y@y"]
assert det==["after","tie5","tie4","tie3","tie2","tie1","before"], det' "$W/audit-all.json"
	: >"$W/audit-paged.txt"
	next1=''; st=''
	for i in $(seq 1 40); do
		hreq GET "$HUB_URL/v1/dash/audit?limit=2${st:+&before=$st}" "$ctY" >/dev/null
		jget '"\n".join(x["detail"] for x in d["rows"])' >>"$W/audit-paged.txt"
		[ -z "$next1" ] && next1=$(jget 'd["next"]')
		st=$(jget 'd["next"] or ""')
		[ -z "$st" ] && break
		grep -Eq '^[0-9]+\.[0-9]+$' <<<"$st" || { st=bad; break; }
	done
	t_check "$B: paging Y's audit 2 at a time gives every row once, in order" python3 -c '
import json,sys; a=[x["detail"] for x in json.load(open(sys.argv[1]))["rows"]]
b=[l.rstrip("\n") for l in open(sys.argv[2]) if l.strip()]
assert a==b, (a, b)' "$W/audit-all.json" "$W/audit-paged.txt"
	dbq "$B" "$DB" "INSERT INTO audit_log (org_id, at_ms, coordinator_id, email, action, target, detail) VALUES ('org-x', 1, 'c', 'x@x', 'export', '', 'x-old')"
	hreq GET "$HUB_URL/v1/dash/audit?limit=2" "$ctY" >/dev/null
	t_eq "$B: X's audit rows do not change Y's audit cursor" "$next1" "$(jget 'd["next"]')"
	st=$(hreq GET "$HUB_URL/v1/dash/audit?before=12" "$ctY")
	t_eq "$B: an id as audit cursor is refused" 400 "$st"
	hub_stop_all
}

# A kiosk that synced before migration 4 (its cursor is a value of the global
# counter): build the old state (global change numbers, no org_changes, schema
# at version 3), upgrade, pull. Only people are compared (no window rules).
upgrade_cases() {
	local B=$1 DB=$2 W=$OUT/$1 tokY k g t old want latest
	setup "$B" "$DB"
	latest=$(dbq "$B" "$DB" "SELECT MAX(version) FROM schema_migrations WHERE version < 1000")
	t_check "$B: schema at version 5 or later ($latest)" test "$latest" -ge 5
	for t in people credentials programmes enrolments sessions assignments tombstones; do
		dbq "$B" "$DB" "UPDATE $t SET chg = chg * 2 + CASE WHEN org_id = 'org-x' THEN 1 ELSE 0 END"
	done
	g=$(dbq "$B" "$DB" "SELECT MAX(m) FROM (SELECT MAX(chg) AS m FROM people UNION ALL SELECT MAX(chg) FROM credentials UNION ALL SELECT MAX(chg) FROM programmes UNION ALL SELECT MAX(chg) FROM enrolments UNION ALL SELECT MAX(chg) FROM sessions UNION ALL SELECT MAX(chg) FROM assignments UNION ALL SELECT MAX(chg) FROM tombstones) x")
	dbq "$B" "$DB" "UPDATE change_counter SET value = $g"
	dbq "$B" "$DB" "DROP TABLE org_changes"
	dbq "$B" "$DB" "DROP TABLE retention_runs"
	dbq "$B" "$DB" "DELETE FROM schema_migrations WHERE version IN (4, 5)"
	# The kiosk had pulled up to the third person of Y (global numbering).
	k=$(dbq "$B" "$DB" "SELECT chg FROM people WHERE org_id = 'org-grubbehoeve' AND consent_ms IS NOT NULL ORDER BY chg LIMIT 1 OFFSET 2")
	old=$(dbq "$B" "$DB" "SELECT id FROM people WHERE org_id = 'org-grubbehoeve' AND chg > $k ORDER BY chg" | tr '\n' ' ')
	t_check "$B: old state built (counter $g, kiosk cursor $k, $(wc -w <<<"$old") people after it)" \
		test -n "$k" -a -n "$old"

	hub_start "$DB" || { t_fail "$B: hub starts on the old db" "no health answer"; return; }
	t_eq "$B: the hub migrated it to version $latest" "$latest" "$(dbq "$B" "$DB" "SELECT MAX(version) FROM schema_migrations WHERE version < 1000")"
	t_eq "$B: every organisation's counter starts at the global value" "$g $g" \
		"$(dbq "$B" "$DB" "SELECT value FROM org_changes ORDER BY org_id" | tr '\n' ' ' | sed 's/ $//')"
	tokY=$(enrol "$CODE_Y")
	printf 'person_id;display_name;consent_date\npnew;Nieuw N.;2025-01-01\n' >"$W/pn.csv"
	"$HUB" import people "$W/pn.csv" --db "$DB" --org org-grubbehoeve >/dev/null
	printf 'person_id;display_name;consent_date\npxnew;X Nieuw;2025-01-01\n' >"$W/pxn.csv"
	"$HUB" import people "$W/pxn.csv" --db "$DB" --org org-x >/dev/null
	want=$(python3 -c 'import sys; print(" ".join(sorted(sys.argv[1].split() + ["pnew"])))' "$old")
	pull "$tokY" "$k"
	t_eq "$B: an old mid-sync cursor gets exactly the rest plus the new, each once" "$want" \
		"$(pj '" ".join(sorted(d["people"] + d["tombstones"]))')"
	pull "$tokY" "$(pj 'd["cursor"]')"
	t_eq "$B: then nothing more" 0 "$(pj 'len(d["people"]) + len(d["tombstones"])')"
	pull "$tokY" "$g"
	t_eq "$B: an old fully synced cursor gets only the new person" "pnew" \
		"$(pj '" ".join(d["people"] + d["tombstones"])')"
	hub_stop_all
}

rm -f "$OUT"/*.db*
channel_cases sqlite "sqlite:$OUT/chan.db"
upgrade_cases sqlite "sqlite:$OUT/upg.db"
if pg_start; then
	channel_cases postgresql "$(pg_createdb presentie_chan)"
	upgrade_cases postgresql "$(pg_createdb presentie_upg)"
else
	t_fail "postgresql: server starts" "see output above"
fi
t_done
