#!/usr/bin/env bash
# sync_newcomer.sh — a newcomer registers at the kiosk, end to end (issue
# 12 point 2), on SQLite and on PostgreSQL: the real presentie-kiosk (with
# `newcomers = yes`, the demo's open session running) and presentie-sync
# against the real hub. An unknown card, "I am new", language, name,
# initial, consent; the running agent delivers person_registered and the
# guest visit; the hub holds it as a pending registration (no person, the
# kiosk is sent nothing); a coordinator approves it through the dashboard
# API; after the next pull the kiosk holds the person and the card, and
# the next tap of that card is hers (she picks the session) and checks
# her in. The raw UID is
# nowhere at the hub.
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
	local B=$1 URL=$2 DB=$OUT/kiosk-$1.db tok st pid reg
	rm -f "$DB"*
	sync_demo_enrolled "$URL" "$DB" "$B: " || return
	agent_start "$DB" --pull-interval 1
	kiosk_start "kiosk-$B" 800x480 "$DB" --set newcomers=yes ||
		{ t_fail "$B: kiosk starts" "see $OUT/kiosk-$B.err"; return; }

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
	tok=$(curl -s -m 10 -X POST -d '{"email":"demo@presentie.test","password":"presentie-demo"}' \
		"$HUB_URL/v1/login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])' 2>/dev/null)
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
