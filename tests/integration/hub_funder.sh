#!/usr/bin/env bash
# hub_funder.sh — the coarse funder fields (issue 14 point 15) through the
# real hub's dashboard API, on SQLite and on a PostgreSQL server this script
# starts: off by default (fields refused, report 404), switched on by an
# admin only (audited), fields only with consent, bad values (naughty strings
# of tests/data/blns.txt) refused, the report by age band and postcode area
# over the one presence definition with every cell under 5 shown "<5" and
# no totals, withdrawing consent and erasure clear the fields, and another
# organisation sees nothing.
set -u
source tests/lib.sh
source tests/integration/hub_lib/hub.sh
source tests/integration/hub_lib/pg.sh
trap 'hub_stop_all; pg_stop' EXIT
Y=org-grubbehoeve

# fput TOKEN PERSON JSON: PUT the person's funder fields, prints the status
fput() { hreq PUT "$HUB_URL/v1/dash/people/$2/funder" "$1" -H 'Content-Type: application/json' -d "$3"; }

# naughty TOKEN PERSON FIELD: PUT every line of blns.txt (but a valid value)
# as FIELD with consent; prints "sent refused" counts
naughty() {
	python3 - "$HUB_URL" "$1" "$2" "$3" tests/data/blns.txt <<'PY'
import json, re, sys, urllib.request, urllib.error
url, tok, pid, field, path = sys.argv[1:6]
ok = re.compile(r"^[1-9][0-9]{3}$") if field == "postcode_area" else re.compile(r"^(0-17|18-26|27-45|46-66|67\+)$")
lines = [l.rstrip("\n") for l in open(path, encoding="utf-8", errors="replace") if not l.startswith("#")]
lines = [l for l in lines if not ok.match(l)][:120] + ["1234a", "012", "01234", "1234AB", " 1234", "18-27", "67", "0-18 "]
sent = refused = 0
for s in lines:
    body = json.dumps({"consent": True, field: s}).encode()
    rq = urllib.request.Request("%s/v1/dash/people/%s/funder" % (url, pid), data=body, method="PUT",
        headers={"Authorization": "Bearer " + tok, "Content-Type": "application/json"})
    sent += 1
    try:
        urllib.request.urlopen(rq, timeout=10)
    except urllib.error.HTTPError as e:
        refused += e.code == 400
print(sent, refused)
PY
}

cases() {
	local B=$1 DB=$2 W=$OUT/$1 code tok ct cn co st now from to i p
	mkdir -p "$W"
	code=$("$HUB" demo --db "$DB" 2>"$W/demo.err" | tail -n 1)
	"$HUB" org create --db "$DB" --name "Andere Stichting" --id org-other >/dev/null
	printf 'other-org-password\n' | "$HUB" coordinator create --db "$DB" --org org-other \
		--email other@presentie.test >/dev/null
	printf 'plain-coordinator-pw\n' | "$HUB" coordinator create --db "$DB" --org $Y \
		--email plain@presentie.test >/dev/null
	hub_start "$DB" || { t_fail "$B: hub starts" "see $OUT/hub-*.log"; return; }
	tok=$(enrol "$code")
	ct=$(login demo@presentie.test presentie-demo)
	cn=$(login plain@presentie.test plain-coordinator-pw)
	co=$(login other@presentie.test other-org-password)
	t_check "$B: a kiosk enrolled; an admin, a coordinator and another org's coordinator logged in" \
		test -n "$tok" -a -n "$ct" -a -n "$cn" -a -n "$co"
	from=$(date -u -d yesterday +%Y-%m-%d)
	to=$(date -u -d tomorrow +%Y-%m-%d)

	# --- off by default
	st=$(hreq GET "$HUB_URL/v1/dash/funder" "$ct")
	t_eq "$B: off by default" "200 False 5" "$st $(jget 'd["enabled"], d["suppress_below"]' | tr -d '(),')"
	st=$(fput "$ct" p01 '{"consent":true,"age_band":"18-26","postcode_area":"1012"}')
	t_eq "$B: off: a person's fields are refused (400, says they are off)" "400 funder_fields_off" \
		"$st $(jget 'd["error"]')"
	st=$(hreq GET "$HUB_URL/v1/dash/funder/report?from=$from&to=$to" "$ct")
	t_eq "$B: off: the report is 404" 404 "$st"

	# --- the switch: admins only, audited
	st=$(hreq PUT "$HUB_URL/v1/dash/funder/setting" "$cn" -d '{"enabled":true}')
	t_eq "$B: a coordinator who is not an admin cannot switch it on (403)" 403 "$st"
	st=$(hreq PUT "$HUB_URL/v1/dash/funder/setting" "$ct" -d '{"enabled":"yes"}')
	t_eq "$B: enabled must be a boolean" 400 "$st"
	st=$(hreq PUT "$HUB_URL/v1/dash/funder/setting" "$ct" -d '{"enabled":true}')
	t_eq "$B: an admin switches it on; audited" "200 True 1" "$st $(jget 'd["enabled"]') \
$(dbq "$B" "$DB" "SELECT COUNT(*) FROM audit_log WHERE org_id = '$Y' AND action = 'funder.setting' AND detail = 'enabled=yes'")"

	# --- consent, values
	st=$(fput "$ct" p01 '{"age_band":"18-26"}')
	t_eq "$B: without a consent answer: 400" 400 "$st"
	st=$(fput "$ct" p01 '{"consent":false,"age_band":"18-26","postcode_area":"1012"}')
	t_eq "$B: without consent: 400 consent_required, nothing stored" "400 consent_required 0" \
		"$st $(jget 'd["error"]') $(dbq "$B" "$DB" "SELECT COUNT(*) FROM people WHERE org_id = '$Y' AND (age_band IS NOT NULL OR postcode_area IS NOT NULL)")"
	read -r sent refused <<<"$(naughty "$ct" p01 postcode_area)"
	t_eq "$B: $sent naughty postcode areas (blns.txt, letters, 3/5 digits, leading 0) all refused" "$sent" "$refused"
	read -r sent refused <<<"$(naughty "$ct" p01 age_band)"
	t_eq "$B: $sent naughty age bands all refused" "$sent" "$refused"
	t_eq "$B: nothing stored by the refused ones" 0 \
		"$(dbq "$B" "$DB" "SELECT COUNT(*) FROM people WHERE org_id = '$Y' AND (age_band IS NOT NULL OR postcode_area IS NOT NULL OR funder_consent_ms IS NOT NULL)")"

	# p01..p06: 18-26 in 1012; p07, p08: 46-66 in 3511
	for i in 1 2 3 4 5 6 7 8; do
		if [ "$i" -le 6 ]; then
			fput "$ct" "p0$i" '{"consent":true,"age_band":"18-26","postcode_area":"1012"}' >"$W/put$i"
		else
			fput "$ct" "p0$i" '{"consent":true,"age_band":"46-66","postcode_area":"3511"}' >"$W/put$i"
		fi
	done
	t_eq "$B: eight people's fields set with consent" "200200200200200200200200" "$(cat "$W"/put?)"
	st=$(hreq GET "$HUB_URL/v1/dash/people/p07/funder" "$ct")
	t_eq "$B: a person's fields read back with the consent date" "200 True 46-66 3511 True" \
		"$st $(jget 'd["consent"], d["age_band"], d["postcode_area"], d["consent_at"] is not None' | tr -d "(),'")"
	t_eq "$B: audit rows name fields, never values" "8 0" \
		"$(dbq "$B" "$DB" "SELECT COUNT(*) FROM audit_log WHERE org_id = '$Y' AND action = 'person.funder'") \
$(dbq "$B" "$DB" "SELECT COUNT(*) FROM audit_log WHERE org_id = '$Y' AND (detail LIKE '%1012%' OR detail LIKE '%3511%' OR detail LIKE '%18-26%')")"

	# --- the report: the eight present at ws-04 now (one presence each, p01 twice)
	now=$(date +%s%3N)
	gen_batch "$W/in.json" 1 9 person=p01,p02,p03,p04,p05,p06,p07,p08,p01 session=ws-04 \
		wall0="$now" uuidbase=0193f0d1
	st=$(hreq POST "$HUB_URL/v1/events" "$tok" --data-binary @"$W/in.json")
	t_eq "$B: nine taps of eight people pushed" "200 9" "$st $(jget 'd["acked_seq"]')"
	st=$(hreq GET "$HUB_URL/v1/dash/funder/report?from=$from&to=$to" "$ct")
	cp "$OUT/last.body" "$W/report.json"
	t_eq "$B: report by band: 18-26 '6', 46-66 '<5', the others '<5' too, no totals" \
		"200 0-17:<5 18-26:6 27-45:<5 46-66:<5 67+:<5 unknown:<5 omitted" \
		"$st $(jget '" ".join("%s:%s" % (r["age_band"], r["count"]) for r in d["age_bands"]) + " " + d["totals"]')"
	t_eq "$B: report by area: 1012 '6', 3511 '<5'" "1012:6 3511:<5" \
		"$(jget '" ".join("%s:%s" % (r["postcode_area"], r["count"]) for r in d["postcode_areas"])')"
	st=$(hreq GET "$HUB_URL/v1/dash/funder/report.csv?from=$from&to=$to" "$ct")
	t_eq "$B: CSV: the same cells" "200 leeftijd;18-26;6 leeftijd;46-66;<5 postcode;1012;6 postcode;3511;<5" \
		"$st $(tr -d '\r' <"$OUT/last.body" | grep -E '^(leeftijd;(18-26|46-66)|postcode;(1012|3511));' | tr '\n' ' ' | sed 's/ $//')"
	t_eq "$B: the CSV download is audited with its number of data rows" \
		"$(tr -d '\r' <"$OUT/last.body" | grep -cE '^(leeftijd|postcode);')" \
		"$(dbq "$B" "$DB" "SELECT row_count FROM audit_log WHERE org_id = '$Y' AND action = 'export' AND target = 'funder.csv' ORDER BY id DESC LIMIT 1")"
	st=$(hreq GET "$HUB_URL/v1/dash/funder/report?from=$to&to=$from" "$ct")
	t_eq "$B: from after to: 400" 400 "$st"

	# --- withdrawing consent clears
	st=$(fput "$ct" p07 '{"consent":false}')
	t_eq "$B: withdrawn: 200, fields and consent cleared" "200 False None None" \
		"$st $(jget 'd["consent"], d["age_band"], d["postcode_area"]' | tr -d '(),')"
	t_eq "$B: withdrawn: the row holds nothing" "||" \
		"$(dbq "$B" "$DB" "SELECT COALESCE(age_band, '') || '|' || COALESCE(postcode_area, '') || '|' || COALESCE(CAST(funder_consent_ms AS TEXT), '') FROM people WHERE org_id = '$Y' AND id = 'p07'")"

	# --- erasure clears (the row goes; the report no longer counts p01)
	p=$(dbq "$B" "$DB" "SELECT display_name FROM people WHERE org_id = '$Y' AND id = 'p01'")
	st=$(hreq POST "$HUB_URL/v1/dash/people/p01/erase" "$ct" -d "{\"confirm\":\"$p\"}")
	t_eq "$B: p01 erased" 200 "$st"
	t_eq "$B: erased: no field of p01 left" 0 \
		"$(dbq "$B" "$DB" "SELECT COUNT(*) FROM people WHERE org_id = '$Y' AND id = 'p01'")"
	hreq GET "$HUB_URL/v1/dash/funder/report?from=$from&to=$to" "$ct" >/dev/null
	t_eq "$B: after erasure and withdrawal: 18-26 '6' -> '5' (5 is not under 5), p07 'unknown' '<5'" "5 <5" \
		"$(jget '" ".join(r["count"] for r in d["age_bands"] if r["age_band"] in ("18-26", "unknown"))')"

	# --- another organisation sees nothing
	st=$(hreq GET "$HUB_URL/v1/dash/funder" "$co")
	t_eq "$B: another organisation: its switch is off" "200 False" "$st $(jget 'd["enabled"]')"
	st=$(hreq GET "$HUB_URL/v1/dash/people/p02/funder" "$co")
	t_eq "$B: another organisation: our person is 404" 404 "$st"
	st=$(hreq GET "$HUB_URL/v1/dash/funder/report?from=$from&to=$to" "$co")
	t_eq "$B: another organisation: report 404" 404 "$st"

	# --- switching off clears every value
	st=$(hreq PUT "$HUB_URL/v1/dash/funder/setting" "$ct" -d '{"enabled":false}')
	t_eq "$B: switched off: every value cleared, report 404" "200 0 404" \
		"$st $(dbq "$B" "$DB" "SELECT COUNT(*) FROM people WHERE org_id = '$Y' AND (age_band IS NOT NULL OR postcode_area IS NOT NULL OR funder_consent_ms IS NOT NULL)") \
$(hreq GET "$HUB_URL/v1/dash/funder/report?from=$from&to=$to" "$ct")"
	hub_stop_all
}

HUB=$BUILD/presentie-hub
rm -f "$OUT"/*.db*
cases sqlite "sqlite:$OUT/funder.db"
if pg_start; then
	cases postgresql "$(pg_createdb presentie_funder)"
else
	t_fail "postgresql: server starts" "see output above"
fi
t_done
