#!/usr/bin/env bash
# sync_newcomer.sh — a newcomer registers at the kiosk, end to end (issue
# 12 point 2, issue 13), on SQLite and on PostgreSQL: the real
# presentie-kiosk (kiosk.conf `newcomers` at its default, auto: the
# organisation decides; the demo's open session running) and presentie-sync
# against the real hub. The organisation does not allow newcomers yet: no
# "I am new" on the home screen nor after an unknown card; the coordinator
# allows it (PUT /v1/dash/registrations/setting) and after a pull the home
# screen shows it (screenshots of both). An unknown card, "I am new", language, name,
# initial, consent; the running agent delivers person_registered and the
# guest visit; the hub holds it as a pending registration (no person, the
# kiosk is sent nothing); a coordinator approves it through the dashboard
# API; after the next pull the kiosk holds the person and the card, and
# the next tap of that card is hers (she picks the session) and checks
# her in. The raw UID is
# nowhere at the hub. A second newcomer, rejected by the coordinator: within
# a pull the kiosk's store holds nothing of her (event gone, the name in no
# byte of the database file).
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
. tests/sync_lib.sh
. tests/integration/hub_lib/pg.sh
. tests/integration/kiosk_lib.bash
trap 'kiosk_stop; sync_cleanup' EXIT

sync_need_kiosk || exit 1
UID_NEW=04D1E2F3A4B5C6

# hubq B URL SQL: one value from the hub's database
hubq() {
	if [ "$1" = sqlite ]; then sqlite3 -batch -noheader "${2#sqlite:}" ".timeout 5000" "$3"
	else psql -qAt "$2" -c "$3"; fi
}

newcomer_e2e() {
	local B=$1 URL=$2 DB=$OUT/kiosk-$1.db tok st pid pid2 reg
	rm -f "$DB"*
	sync_demo_enrolled "$URL" "$DB" "$B: " || return
	agent_start "$DB" --pull-interval 1
	wait_until 20 sh -c "[ \"\$(sqlite3 '$DB' \"SELECT value FROM meta WHERE key = 'newcomers'\")\" = no ]"
	t_eq "$B: the pull brought the organisation's setting: off by default" no \
		"$(store_sql "$DB" "SELECT value FROM meta WHERE key = 'newcomers'")"
	kiosk_start "kiosk-$B" 800x480 "$DB" ||
		{ t_fail "$B: kiosk starts" "see $OUT/kiosk-$B.err"; return; }
	k_sync
	t_check "$B: the organisation does not allow newcomers: no \"I am new\" on the home screen" \
		sh -c "[ \"\$(grep '^screen ' '$OUT/$K_NAME.out' | tail -n1)\" = 'screen home' ] && grep '^targets' '$OUT/$K_NAME.out' | tail -n1 | grep -q 'pin:0@' && ! grep '^targets' '$OUT/$K_NAME.out' | tail -n1 | grep -q 'new:0@'"
	k_shot "sync-newcomer-$B-home-off"
	k_do card "$UID_NEW"
	t_check "$B: ... nor after an unknown card" sh -c "! grep '^targets' '$OUT/$K_NAME.out' | tail -n1 | grep -q 'new:1@'"
	k_do key Escape

	# the coordinator allows newcomers on the dashboard
	tok=$(curl -s -m 10 -X POST -d '{"email":"demo@presentie.test","password":"presentie-demo"}' \
		"$HUB_URL/v1/login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])' 2>/dev/null)
	st=$(curl -s -m 10 -X PUT -H "Authorization: Bearer $tok" -d '{"allowed":true}' -w ' %{http_code}' \
		"$HUB_URL/v1/dash/registrations/setting")
	t_eq "$B: the coordinator allows newcomers" '{"allowed":true} 200' "$st"
	new_shown() { k_sync >/dev/null && k_has new:0; }
	if wait_until 20 new_shown; then
		t_ok "$B: after a pull the home screen shows \"I am new\""
	else
		t_fail "$B: after a pull the home screen shows \"I am new\"" "meta: $(store_sql "$DB" "SELECT value FROM meta WHERE key = 'newcomers'")"
	fi
	k_shot "sync-newcomer-$B-home-on"

	k_do card "$UID_NEW"
	t_eq "$B: an unknown card" unknown "$(k_screen)"
	k_touch new:1 >/dev/null
	k_touch new_lang:3 >/dev/null                  # Türkçe
	k_touch char:97 >/dev/null
	for c in m i n a; do k_send "key $c"; done
	k_touch new_next:0 >/dev/null
	k_touch char:98 >/dev/null
	k_touch new_next:0 >/dev/null
	k_touch new_yes:0 >/dev/null
	t_eq "$B: welcome after consent" welcome "$(k_screen)"
	pid=$(store_sql "$DB" "SELECT json_extract(payload, '$.id') FROM events WHERE kind = 'person_registered'")
	t_check "$B: the kiosk recorded person_registered with a new person id" test -n "$pid"
	t_drained 20 "$DB" "$B: the agent delivered the registration and the guest visit" "delivery"
	reg_arrived() { [ "$(hubq "$B" "$URL" "SELECT COUNT(*) FROM registrations WHERE id = '$pid'")" = 1 ]; }
	wait_until 10 reg_arrived
	t_eq "$B: the hub holds a pending registration, no person" "1 0" \
		"$(hubq "$B" "$URL" "SELECT COUNT(*) FROM registrations WHERE id = '$pid' AND status = 'pending' AND lang = 'tr' AND display_name = 'Amina B.' AND length(card_mac) = 64") $(hubq "$B" "$URL" "SELECT COUNT(*) FROM people WHERE id = '$pid'")"
	t_eq "$B: and the guest visit at the open session" 1 \
		"$(hubq "$B" "$URL" "SELECT COUNT(*) FROM events WHERE kind = 'guest' AND session_id IS NOT NULL")"
	t_eq "$B: the kiosk was not sent a pending person" 0 \
		"$(store_sql "$DB" "SELECT count(*) FROM people WHERE id = '$pid'")"

	# the coordinator approves it through the dashboard API
	reg=$(curl -s -m 10 -H "Authorization: Bearer $tok" "$HUB_URL/v1/dash/registrations" |
		python3 -c 'import json,sys; print(" ".join(r["id"] + ":" + r["display_name"] for r in json.load(sys.stdin)["registrations"]))' 2>/dev/null)
	t_eq "$B: the dashboard lists it" "$pid:Amina B." "$reg"
	st=$(curl -s -m 10 -X POST -H "Authorization: Bearer $tok" -w ' %{http_code}' \
		"$HUB_URL/v1/dash/registrations/$pid/approve" | python3 -c 'import json,sys; t=sys.stdin.read(); b,c=t.rsplit(" ",1); print(json.loads(b)["card"], c)' 2>/dev/null)
	t_eq "$B: approved, the card linked" "linked 200" "$st"

	# after the next pull the card is the newcomer's at the kiosk
	wait_until 20 sh -c "[ \"\$(sqlite3 '$DB' \"SELECT count(*) FROM credentials WHERE person_id = '$pid' AND kind = 0\")\" = 1 ]"
	t_eq "$B: the pull brought the person and the card" "1 1" \
		"$(store_sql "$DB" "SELECT count(*) FROM people WHERE id = '$pid'") $(store_sql "$DB" "SELECT count(*) FROM credentials WHERE person_id = '$pid' AND kind = 0")"
	k_do key Escape
	k_do card "$UID_NEW"
	# two sessions run (the workshop and the open meeting), she is enrolled
	# in neither: the card is known, and the kiosk asks which one
	t_eq "$B: the next tap of the card knows her (which session?)" choose "$(k_screen)"
	k_touch choose:0 >/dev/null
	t_eq "$B: and greets the newcomer" welcome "$(k_screen)"
	t_eq "$B: ... and checks her in as herself" 1 \
		"$(store_sql "$DB" "SELECT count(*) FROM events WHERE person_id = '$pid' AND kind IN ('check_in', 'drop_in')")"
	k_do key Escape

	# a second newcomer, "I am new" on the home screen; the coordinator rejects her
	k_touch new:0 >/dev/null
	k_touch new_lang:0 >/dev/null
	for c in z e y n e p; do k_send "key $c"; done
	k_touch new_next:0 >/dev/null
	k_touch char:107 >/dev/null
	k_touch new_next:0 >/dev/null
	k_touch new_yes:0 >/dev/null
	t_eq "$B: a second newcomer registered" welcome "$(k_screen)"
	k_do key Escape
	pid2=$(store_sql "$DB" "SELECT json_extract(payload, '$.id') FROM events WHERE kind = 'person_registered' AND json_extract(payload, '$.display_name') = 'Zeynep K.'")
	t_check "$B: the kiosk holds her name until the coordinator decides" test -n "$pid2"
	t_drained 20 "$DB" "$B: her registration reached the hub" "delivery"
	reg2_arrived() { [ "$(hubq "$B" "$URL" "SELECT COUNT(*) FROM registrations WHERE id = '$pid2' AND status = 'pending'")" = 1 ]; }
	wait_until 10 reg2_arrived
	st=$(curl -s -m 10 -X POST -H "Authorization: Bearer $tok" -o /dev/null -w '%{http_code}' \
		"$HUB_URL/v1/dash/registrations/$pid2/reject")
	t_eq "$B: the coordinator rejects her" 200 "$st"
	gone() { [ "$(sqlite3 "$DB" "SELECT count(*) FROM events WHERE json_extract(payload, '\$.id') = '$pid2' OR payload LIKE '%Zeynep%'")" = 0 ]; }
	if wait_until 20 gone; then
		t_ok "$B: within a pull the kiosk's store deleted her registration"
	else
		t_fail "$B: within a pull the kiosk's store deleted her registration" "still there"
	fi
	sqlite3 "$DB" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
	t_check "$B: her name is in no byte of the kiosk's database" sh -c "! grep -qai zeynep '$DB'*"
	t_eq "$B: the approved newcomer's registration is kept (she is a person now)" "1 1" \
		"$(store_sql "$DB" "SELECT count(*) FROM events WHERE kind = 'person_registered' AND json_extract(payload, '$.id') = '$pid'") $(store_sql "$DB" "SELECT count(*) FROM people WHERE id = '$pid'")"
	t_eq "$B: nothing waits to be delivered, the kiosk did not get stuck" 0 \
		"$(store_sql "$DB" "SELECT count(*) FROM events WHERE delivered = 0 AND kind = 'person_registered'")"
	kiosk_stop
	if grep -qE 'runtime error|AddressSanitizer|LeakSanitizer' "$OUT/kiosk-$B.err"; then
		t_fail "$B: sanitizers clean" "$(grep -m1 -E 'runtime error|Sanitizer' "$OUT/kiosk-$B.err")"
	fi
	t_drained 20 "$DB" "$B: the check-in reached the hub too" "delivery"
	t_eq "$B: the raw UID is nowhere in the hub's events or registrations" 0 \
		"$(hubq "$B" "$URL" "SELECT COUNT(*) FROM events WHERE LOWER(payload) LIKE '%$(tr '[:upper:]' '[:lower:]' <<<"$UID_NEW")%'")"
	agent_stop
	hub_stop
}

newcomer_e2e sqlite "sqlite:$OUT/hub-newcomer.db"
if sync_pg_start; then
	HUB_PORT=
	newcomer_e2e pg "$PG_URL"
else
	t_fail "pg: server starts" "see output above"
fi
t_done
