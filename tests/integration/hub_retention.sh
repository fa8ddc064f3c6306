#!/usr/bin/env bash
# hub_retention.sh — retention (issue 10 point 9) on SQLite and on a
# PostgreSQL server this script starts: `org set --retention-days`, `purge
# --dry-run` (changes nothing), `purge` (old events lose their person link,
# old follow-up marks and audit rows beyond the floor go, expired tokens and
# codes go; recent rows, another organisation's rows and the counts of the
# reports and the export stay; one audit row by "system"), a second purge
# does nothing, and serve's daily run with two hub processes on one
# database purges once.
set -u
source tests/lib.sh
source tests/integration/hub_lib/hub.sh
source tests/integration/hub_lib/pg.sh
trap 'hub_stop_all; pg_stop' EXIT
Y=org-grubbehoeve
DAY=86400000

# counts BACKEND URL TOKEN: the figures that must survive a purge, one line
# (export rows per org, reach visits, guests).
counts() {
	local from to
	from=$(date -u -d '-200 days' +%Y-%m-%d); to=$(date -u +%Y-%m-%d)
	printf 'exportY=%s exportX=%s ' \
		"$("$HUB" export attendance --db "$2" --org $Y --from 2020-01-01 --format json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" \
		"$("$HUB" export attendance --db "$2" --org org-x --from 2020-01-01 --format json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"
	hreq GET "$HUB_URL/v1/dash/reports/reach?from=$from&to=$to" "$3" >/dev/null
	printf 'visits=%s ' "$(jget 'sum(r["visits"] or 0 for r in d["rows"])')"
	hreq GET "$HUB_URL/v1/dash/reports/guests?from=$from&to=$to" "$3" >/dev/null
	printf 'guests=%s\n' "$(jget 'sum(r["guests"] or 0 for r in d["rows"])')"
}
linked() {   # linked BACKEND URL ORG AGE_DAYS: events of ORG older than AGE still linked
	local bound=$(( $(date +%s%3N) - $4 * DAY ))
	dbq "$1" "$2" "SELECT COUNT(*) FROM events WHERE org_id = '$3' AND t_ms < $bound AND (person_id IS NOT NULL OR payload <> '{}')"
}
system_audits() { dbq "$1" "$2" "SELECT COUNT(*) FROM audit_log WHERE org_id = '$Y' AND action = 'retention.purge' AND coordinator_id = 'system'"; }

retention_cases() {
	local B=$1 DB=$2 W=$OUT/$1 code tokY tokX ctY now old recent mac before st out
	mkdir -p "$W"
	now=$(date +%s%3N); old=$((now - 100 * DAY)); recent=$((now - 2 * DAY))
	code=$("$HUB" demo --db "$DB" 2>/dev/null | tail -n 1)
	"$HUB" org create --db "$DB" --id org-x --name "Organisatie X" >/dev/null
	"$HUB" location create --db "$DB" --org org-x --id loc-x --name "Huis X" >/dev/null
	printf 'person_id;display_name;consent_date\npx1;Xena X.;2025-01-01\n' >"$W/px.csv"
	"$HUB" import people "$W/px.csv" --db "$DB" --org org-x >/dev/null
	hub_start "$DB" || { t_fail "$B: hub starts" "no health answer"; return; }
	tokY=$(enrol "$code"); tokX=$(enrol "$("$HUB" device create --db "$DB" --location loc-x | tail -n 1)")
	ctY=$(login demo@presentie.test presentie-demo)
	mac=$(printf 'cd%.0s' $(seq 1 32))
	# Y: 30 old check-ins, an old new card, 3 old guests; 10 recent check-ins. X: 12 old.
	gen_batch "$W/y1.json" 1 30 wall0=$old person=p01 session= uuidbase=0193aa01
	gen_batch "$W/y2.json" 31 1 wall0=$old person=p02 session= uuidbase=0193aa02 kind=credential_enrolled \
		payload="{\"kind\":\"card\",\"mac\":\"$mac\"}"
	gen_batch "$W/y3.json" 32 3 wall0=$old person= session= uuidbase=0193aa03 kind=guest
	gen_batch "$W/y4.json" 35 10 wall0=$recent person=p01 session= uuidbase=0193aa04
	gen_batch "$W/x1.json" 1 12 wall0=$old person=px1 session= uuidbase=0193aa05
	for f in y1 y2 y3 y4; do hreq POST "$HUB_URL/v1/events" "$tokY" --data-binary @"$W/$f.json" >/dev/null; done
	st=$(hreq POST "$HUB_URL/v1/events" "$tokX" --data-binary @"$W/x1.json")
	t_eq "$B: old and recent events stored" "200 12 44" "$st $(jget 'd["acked_seq"]') $(dbq "$B" "$DB" "SELECT MAX(seq) FROM events WHERE org_id = '$Y'")"
	dbq "$B" "$DB" "INSERT INTO followup_marks (org_id, person_id, session_id, contacted_ms, coordinator_id) VALUES ('$Y', 'p01', 's-old', $old, 'c'), ('$Y', 'p01', 's-new', $recent, 'c'), ('org-x', 'px1', 's-old', $old, 'c')"
	dbq "$B" "$DB" "INSERT INTO audit_log (org_id, at_ms, coordinator_id, email, action, target, detail) VALUES ('$Y', $((now - 400 * DAY)), 'c', 'y@y', 'export', '', 'ancient'), ('$Y', $old, 'c', 'y@y', 'export', '', 'old')"
	dbq "$B" "$DB" "INSERT INTO coord_tokens (token_hash, coordinator_id, org_id, expires_ms) SELECT 'expired-token', id, org_id, 1 FROM coordinators WHERE email = 'demo@presentie.test'"
	"$HUB" device create --db "$DB" --location loc-grubbehoeve --code-ttl 0 >/dev/null
	before=$(counts "$B" "$DB" "$ctY")
	t_check "$B: figures before the purge ($before)" grep -q 'visits=[1-9]' <<<"$before"

	st=$("$HUB" org set --db "$DB" --id nope --retention-days 30 2>&1)
	t_check "$B: org set refuses an unknown organisation" grep -q 'not found' <<<"$st"
	st=$("$HUB" org set --db "$DB" --id $Y --retention-days 36501 2>&1)
	t_check "$B: org set refuses more than 36500 days" grep -q '0..36500' <<<"$st"
	t_eq "$B: org set --retention-days 30" "$Y retention_days=30" \
		"$("$HUB" org set --db "$DB" --id $Y --retention-days 30)"

	out=$("$HUB" purge --db "$DB" --org $Y --dry-run)
	t_check "$B: dry run reports 31 events, 1 follow-up, 1 audit row ($out)" \
		grep -q "^would purge $Y: retention_days=30 events_anonymised=31 followups=1 audit_rows=1 tokens=[1-9]" <<<"$out"
	t_eq "$B: dry run changes nothing" "31 0" "$(linked "$B" "$DB" $Y 30) $(system_audits "$B" "$DB")"

	out=$("$HUB" purge --db "$DB")
	t_check "$B: purge reports Y ($out)" grep -q "^purged $Y: retention_days=30 events_anonymised=31 followups=1 audit_rows=1 tokens=[1-9][0-9]* dash_sessions=0 enrol_codes=[1-9]" <<<"$out"
	t_check "$B: purge leaves X (retention 0) alone" grep -q "^purged org-x: retention_days=0 events_anonymised=0 followups=0 audit_rows=0" <<<"$out"
	t_eq "$B: Y's old events lost their person link, the card's MAC too" "0 31 31" \
		"$(linked "$B" "$DB" $Y 30) $(dbq "$B" "$DB" "SELECT COUNT(*) FROM events WHERE org_id = '$Y' AND anonymised = 1") $(dbq "$B" "$DB" "SELECT COUNT(*) FROM events WHERE org_id = '$Y' AND person_id IS NULL AND kind <> 'guest'")"
	t_eq "$B: Y's recent events keep theirs; X's old ones too" "10 12" \
		"$(dbq "$B" "$DB" "SELECT COUNT(*) FROM events WHERE org_id = '$Y' AND person_id = 'p01' AND t_ms >= $((now - 30 * DAY))") $(linked "$B" "$DB" org-x 30)"
	t_eq "$B: old follow-up mark gone, recent and X's stay" "s-new|$Y s-old" \
		"$(dbq "$B" "$DB" "SELECT session_id || '|' || org_id FROM followup_marks WHERE org_id = '$Y'") $(dbq "$B" "$DB" "SELECT session_id FROM followup_marks WHERE org_id = 'org-x'")"
	t_eq "$B: audit rows: older than 365 days gone, 100 days old kept" "old" \
		"$(dbq "$B" "$DB" "SELECT detail FROM audit_log WHERE org_id = '$Y' AND email = 'y@y'")"
	t_eq "$B: expired token and code gone, live token works" "0 0 200" \
		"$(dbq "$B" "$DB" "SELECT COUNT(*) FROM coord_tokens WHERE expires_ms < $now") $(dbq "$B" "$DB" "SELECT COUNT(*) FROM enrol_codes WHERE expires_ms < $now") $(hreq GET "$HUB_URL/v1/dash/today" "$ctY")"
	t_eq "$B: one audit row by system for Y, none for X" "1 0" \
		"$(system_audits "$B" "$DB") $(dbq "$B" "$DB" "SELECT COUNT(*) FROM audit_log WHERE org_id = 'org-x' AND action = 'retention.purge'")"
	t_check "$B: the audit row names the counts" test -n "$(dbq "$B" "$DB" "SELECT 1 FROM audit_log WHERE org_id = '$Y' AND action = 'retention.purge' AND detail LIKE 'retention_days=30 events_anonymised=31 followups=1 audit_rows=1 %'")"
	t_eq "$B: reports and export count the same after the purge" "$before" "$(counts "$B" "$DB" "$ctY")"
	out=$("$HUB" purge --db "$DB" --org $Y)
	t_check "$B: a second purge does nothing ($out)" grep -q "^purged $Y: retention_days=30 events_anonymised=0 followups=0 audit_rows=0 tokens=0 dash_sessions=0 enrol_codes=0 card_links=0 idem_keys=0" <<<"$out"
	t_eq "$B: and writes no audit row" 1 "$(system_audits "$B" "$DB")"
	st=$("$HUB" purge --db "$DB" --org nope 2>&1)
	t_check "$B: purge of an unknown organisation fails" grep -q "not found" <<<"$st"
	hub_stop_all

	# serve's daily run: new old events, the day unclaimed, two hubs at once.
	gen_batch "$W/y5.json" 45 5 wall0=$old person=p01 session= uuidbase=0193aa06
	hub_start "$DB" || { t_fail "$B: hub starts" "no health answer"; return; }
	hreq POST "$HUB_URL/v1/events" "$tokY" --data-binary @"$W/y5.json" >/dev/null
	hub_stop_all
	t_eq "$B: 5 new old events linked" 5 "$(linked "$B" "$DB" $Y 30)"
	dbq "$B" "$DB" "UPDATE retention_runs SET last_ms = 0"
	rm -f "$OUT"/hub-*.log
	for _ in 1 2; do   # both at once (hub_start would wait for the first)
		st=$(free_port)
		"$HUB" serve --db "$DB" --listen "127.0.0.1:$st" >>"$OUT/hub-$st.log" 2>&1 &
		HUB_PIDS+=($!)
	done
	wait_until 30 sh -c "[ \$(cat '$OUT'/hub-*.log | grep -c 'daily purge: \(done\|not due\)') -ge 2 ]"
	t_eq "$B: two hubs start; one purges, the other finds it done" "1 1" \
		"$(cat "$OUT"/hub-*.log | grep -c 'daily purge: done') $(cat "$OUT"/hub-*.log | grep -c 'daily purge: not due')"
	t_eq "$B: the daily run anonymised them, one audit row more" "0 2" \
		"$(linked "$B" "$DB" $Y 30) $(system_audits "$B" "$DB")"
	hub_stop_all
}

rm -f "$OUT"/*.db*
retention_cases sqlite "sqlite:$OUT/ret.db"
if pg_start; then
	retention_cases postgresql "$(pg_createdb presentie_ret)"
else
	t_fail "postgresql: server starts" "see output above"
fi
t_done
