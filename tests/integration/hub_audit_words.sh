#!/usr/bin/env bash
# hub_audit_words.sh — the audit list and a person's cards in words (issue 14
# point 12) through the real hub on SQLite and on a PostgreSQL server this
# script starts: GET /v1/dash/audit gives each row target_kind and
# target_label (a person's display name, a session's or programme's title,
# "organisation"), an erased person as target_erased with no name,
# detail_label for the session/programme/kiosk a detail names; another
# organisation with the same ids never lends its names. GET
# /v1/dash/people/{id} gives a card linked by number its linked_at.
set -u
source tests/lib.sh
source tests/integration/hub_lib/hub.sh
source tests/integration/hub_lib/pg.sh
trap 'hub_stop_all; pg_stop' EXIT

# row ACTION TARGET: the newest audit row of ACTION on TARGET from the last body, as JSON
row() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
r=[x for x in d["rows"] if x["action"]==sys.argv[2] and x["target"]==sys.argv[3]]
print(json.dumps({k: r[0].get(k) for k in ("target_kind","target_label","target_erased","detail_label")}, ensure_ascii=False, sort_keys=True) if r else "none")' \
	"$OUT/last.body" "$1" "$2"; }

words_cases() {
	local B=$1 DB=$2 ct ctX st pid now
	"$HUB" demo --db "$DB" >/dev/null 2>&1
	"$HUB" org create --db "$DB" --id org-x --name "Organisatie X" >/dev/null
	"$HUB" location create --db "$DB" --org org-x --id loc-x --name "Locatie X" >/dev/null
	echo "coordinator-x-password" | "$HUB" coordinator create --db "$DB" --org org-x --email coord@x.example >/dev/null
	# org X has a person and a session with the demo's ids, other names
	dbq "$B" "$DB" "INSERT INTO people (org_id, id, display_name, first_name, chg) VALUES ('org-x', 'p05', 'Xander X.', 'Xander', 1)" >/dev/null
	dbq "$B" "$DB" "INSERT INTO sessions (org_id, id, location_id, title, start_ms, end_ms, chg) VALUES ('org-x', 'ws-04', 'loc-x', 'Geheim X', 1, 2, 1)" >/dev/null
	hub_start "$DB" || { t_fail "$B: hub starts" "no health answer"; return; }
	ct=$(login demo@presentie.test presentie-demo)
	ctX=$(login coord@x.example coordinator-x-password)
	t_check "$B: two coordinators of two organisations logged in" test -n "$ct" -a -n "$ctX"

	st=$(hreq POST "$HUB_URL/v1/dash/sessions/ws-04/assignments" "$ct" -d '{"person_id":"p05","role":"catering"}')
	t_eq "$B: p05 assigned on ws-04" 201 "$st"
	st=$(hreq POST "$HUB_URL/v1/dash/followup/contacted" "$ct" -d '{"person_id":"p03","session_id":"ws-04","contacted":true}')
	st=$(hreq POST "$HUB_URL/v1/dash/people" "$ct" -d '{"display_name":"Amal R.","first_name":"Amal","lang":"ar"}')
	pid=$(jget 'd["id"]')
	t_eq "$B: a person made" 201 "$st"
	now=$(date +%s)
	st=$(hreq POST "$HUB_URL/v1/dash/people/$pid/card" "$ct" -d '{"number":"04 AA BB CC DD EE 01"}')
	t_eq "$B: a card linked by its number" 201 "$st"
	st=$(hreq GET "$HUB_URL/v1/dash/people/$pid" "$ct")
	t_eq "$B: the card has the time it was linked (linked_at, this minute)" "200 True" \
		"$st $(jget "abs(__import__('datetime').datetime.fromisoformat([c for c in d['credentials'] if c['kind']=='card'][0]['linked_at'].replace('Z','+00:00')).timestamp() - $now) < 60")"
	st=$(hreq POST "$HUB_URL/v1/dash/programmes/mjew-najaar/enrolments" "$ct" -d "{\"person_id\":\"$pid\"}")
	t_eq "$B: enrolled in a programme" 201 "$st"
	st=$(hreq POST "$HUB_URL/v1/dash/people/$pid/erase" "$ct" -d '{"confirm":"Amal R."}')
	t_eq "$B: erased" 200 "$st"

	st=$(hreq GET "$HUB_URL/v1/dash/audit?limit=500" "$ct")
	t_eq "$B: audit answers" 200 "$st"
	t_eq "$B: an assignment names the person and the role stays the detail" \
		'{"detail_label": null, "target_erased": null, "target_kind": "person", "target_label": "Ingrid B."}' "$(row assignment.add p05)"
	t_eq "$B: 'contacted' names the person and the session's title" \
		'{"detail_label": "Maak je eigen Werk — workshop 4", "target_erased": null, "target_kind": "person", "target_label": "Emre Y."}' \
		"$(row followup.contacted p03)"
	t_eq "$B: an erased person has no name, only that it was erased" \
		'{"detail_label": "Maak je eigen Werk, najaar", "target_erased": true, "target_kind": "person", "target_label": null}' \
		"$(row enrolment.add "$pid")"
	t_eq "$B: the erase row itself: erased person" \
		'{"detail_label": null, "target_erased": true, "target_kind": "person", "target_label": null}' "$(row person.erase "$pid")"
	t_eq "$B: a login names no person" \
		'{"detail_label": null, "target_erased": null, "target_kind": null, "target_label": null}' \
		"$(row login demo@presentie.test)"
	t_check "$B: no name of organisation X in the demo's audit" \
		bash -c "! grep -q -e 'Xander' -e 'Geheim X' '$OUT/last.body'"

	# org X's own rows name its own person
	st=$(hreq POST "$HUB_URL/v1/dash/sessions/ws-04/assignments" "$ctX" -d '{"person_id":"p05","role":"catering"}')
	st=$(hreq POST "$HUB_URL/v1/dash/followup/contacted" "$ctX" -d '{"person_id":"p05","session_id":"ws-04","contacted":true}')
	t_eq "$B: organisation X marks its p05 contacted for its ws-04" 200 "$st"
	st=$(hreq GET "$HUB_URL/v1/dash/audit?limit=500" "$ctX")
	t_eq "$B: organisation X's audit names its own person and session" \
		'{"detail_label": "Geheim X", "target_erased": null, "target_kind": "person", "target_label": "Xander X."}' \
		"$(row followup.contacted p05)"
	t_check "$B: no demo name in organisation X's audit" \
		bash -c "! grep -q -e 'Ingrid' -e 'workshop' '$OUT/last.body'"
	hub_stop_all
}

rm -f "$OUT"/*.db*
words_cases sqlite "sqlite:$OUT/words.db"
if pg_start; then
	words_cases postgresql "$(pg_createdb presentie_words)"
else
	t_fail "postgresql: server starts" "see output above"
fi
t_done
