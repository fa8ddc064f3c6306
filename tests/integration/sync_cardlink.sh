#!/usr/bin/env bash
# sync_cardlink.sh — "tap the new card on kiosk X now", end to end: a
# coordinator logs in to the dashboard API (session cookie + CSRF token) and
# starts a card link for Hatice D. (p13, no card) on the enrolled kiosk; the
# running presentie-sync pulls it (`card_link` in GET /v1/changes) into the
# store; the kiosk's home screen asks for her new card without a restart; a
# known card still checks its own person in; the new card 04aabbccddeeff
# becomes hers (credential_enrolled), the hub reports "linked", and after the
# next pull that card checks Hatice in. The raw UID is nowhere at the hub.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
. tests/sync_lib.sh
. tests/integration/kiosk_lib.bash
trap 'kiosk_stop; sync_cleanup' EXIT

sync_need_kiosk || exit 1

URL="sqlite:$OUT/hub.db"
DB=$OUT/kiosk.db
JAR=$OUT/cookies.txt
UID_NEW=04aabbccddeeff
PERSON=p13
sync_demo_enrolled "$URL" "$DB" || exit 1
DEV=$(store_sql "$DB" "SELECT value FROM meta WHERE key = 'device_id'")
t_check "the kiosk is enrolled ($DEV)" test -n "$DEV"
t_eq "Hatice has no card yet" 0 \
    "$(store_sql "$DB" "SELECT count(*) FROM credentials WHERE person_id = '$PERSON' AND kind = 0")"

agent_start "$DB" --pull-interval 1
kiosk_start kiosk 800x480 "$DB" || { t_fail "kiosk starts" "no answer (see $OUT/kiosk.err)"; exit 1; }
t_eq "home, no link pending" home "$(k_screen)"

# dash METHOD PATH [BODY]: the dashboard API with the session cookie and CSRF token.
dash() {
	curl -s -m 10 -b "$JAR" -c "$JAR" -X "$1" -H 'Content-Type: application/json' \
	    -H "X-CSRF-Token: ${CSRF:-}" ${3:+--data "$3"} -w '\n%{http_code}' "$HUB_URL$2"
}
login=$(dash POST /v1/session '{"email": "demo@presentie.test", "password": "presentie-demo"}')
CSRF=$(printf '%s' "$login" | head -n1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf"])' 2>/dev/null)
t_check "the coordinator logs in (POST /v1/session)" test -n "$CSRF"
t_eq "no card link yet" '{"state":"none"}
200' "$(dash GET /v1/dash/people/$PERSON/card-link | tr -d ' ')"
started=$(dash POST /v1/dash/people/$PERSON/card-link "{\"device_id\": \"$DEV\"}")
t_eq "the card link starts (202 waiting)" "waiting 202" \
    "$(printf '%s' "$started" | head -n1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])' 2>/dev/null) $(printf '%s' "$started" | tail -n1)"

# The agent pulls it; the kiosk (walwatch) shows the prompt without a restart.
wait_until 20 grep -q "^card link $PERSON\$" "$OUT/kiosk.out"
t_check "the kiosk learned the pending link from its pull" grep -q "^card link $PERSON\$" "$OUT/kiosk.out"
t_check "the store holds the link in meta card_link" \
    test -n "$(store_sql "$DB" "SELECT value FROM meta WHERE key = 'card_link' AND value LIKE '% $PERSON'")"
k_shot cardlink-prompt-800x480
t_check "screenshot of the prompt (800x480)" test -s "$OUT/screens/cardlink-prompt-800x480.png"

# A card that already belongs to someone checks that person in; the link stays.
before=$(k_events)
k_do card 04000000000001
t_check "a known card is not taken for the link" \
    test "$(store_sql "$DB" "SELECT count(*) FROM events WHERE kind = 'credential_enrolled'")" = 0
t_check "a known card still checks its person in" k_events_above "$before"
k_do key Escape
t_check "the link stays pending after a known card" \
    test -n "$(store_sql "$DB" "SELECT value FROM meta WHERE key = 'card_link' AND value LIKE '% $PERSON'")"

# The new card becomes Hatice's.
k_do card $UID_NEW
t_eq "the new card shows the confirmation" message "$(k_screen)"
k_shot cardlink-done-800x480
t_eq "one credential_enrolled event for Hatice" "1" \
    "$(store_sql "$DB" "SELECT count(*) FROM events WHERE kind = 'credential_enrolled' AND person_id = '$PERSON' AND json_extract(payload, '$.kind') = 'card' AND length(json_extract(payload, '$.mac')) = 64")"
t_eq "the link is cleared locally" "" "$(store_sql "$DB" "SELECT value FROM meta WHERE key = 'card_link'")"
t_check "the prompt is gone" grep -q '^card link none$' "$OUT/kiosk.out"
t_drained 20 "$DB" "the agent delivered the event" "delivery"
wait_until 10 sh -c "[ \"\$(sqlite3 '$OUT/hub.db' \"SELECT count(*) FROM events WHERE kind = 'credential_enrolled' AND person_id = '$PERSON'\")\" = 1 ]"
t_eq "the event reached the hub" 1 \
    "$(sqlite3 "$OUT/hub.db" "SELECT count(*) FROM events WHERE kind = 'credential_enrolled' AND person_id = '$PERSON'")"
t_eq "the dashboard reports linked" '{"state":"linked"}
200' "$(dash GET /v1/dash/people/$PERSON/card-link | tr -d ' ')"

# After the next pull the card is Hatice's card at the kiosk.
wait_until 20 sh -c "[ \"\$(sqlite3 '$DB' \"SELECT count(*) FROM credentials WHERE person_id = '$PERSON' AND kind = 0\")\" = 1 ]"
t_eq "the pull brought Hatice's card credential" 1 \
    "$(store_sql "$DB" "SELECT count(*) FROM credentials WHERE person_id = '$PERSON' AND kind = 0")"
t_eq "the hub no longer sends the link (the agent removed the key)" 0 \
    "$(store_sql "$DB" "SELECT count(*) FROM meta WHERE key = 'card_link'")"
k_do key Escape
k_do card $UID_NEW
t_eq "the new card now greets Hatice" welcome "$(k_screen)"
t_eq "and checks her in" 1 \
    "$(store_sql "$DB" "SELECT count(*) FROM events WHERE person_id = '$PERSON' AND kind IN ('check_in', 'drop_in')")"
t_eq "no second link was recorded" 1 \
    "$(store_sql "$DB" "SELECT count(*) FROM events WHERE kind = 'credential_enrolled'")"
k_do key Escape
kiosk_stop

# The same at 1920x1080: a fresh link, the prompt on a large screen.
kiosk_start kiosk-big 1920x1080 "$DB" || { t_fail "kiosk starts (1920x1080)" "see $OUT/kiosk-big.err"; exit 1; }
dash POST /v1/dash/people/$PERSON/card-link "{\"device_id\": \"$DEV\"}" >/dev/null
wait_until 20 grep -q "^card link $PERSON\$" "$OUT/kiosk-big.out"
k_shot cardlink-prompt-1920x1080
t_check "screenshot of the prompt (1920x1080)" grep -q "^card link $PERSON\$" "$OUT/kiosk-big.out"
# An expired link is no longer sent: the agent removes it, the prompt goes.
sqlite3 "$OUT/hub.db" "UPDATE card_links SET expires_ms = 1000 WHERE device_id = '$DEV'"
wait_until 20 sh -c "[ \"\$(sqlite3 '$DB' \"SELECT count(*) FROM meta WHERE key = 'card_link'\")\" = 0 ]"
t_eq "an expired link is removed from the store at the next pull" 0 \
    "$(store_sql "$DB" "SELECT count(*) FROM meta WHERE key = 'card_link'")"
wait_until 10 grep -q '^card link none$' "$OUT/kiosk-big.out"
t_check "and the kiosk's prompt goes" grep -q '^card link none$' "$OUT/kiosk-big.out"
t_eq "the dashboard reports expired" '{"state":"expired"}
200' "$(dash GET /v1/dash/people/$PERSON/card-link | tr -d ' ')"
kiosk_stop

# The kiosk on its own: a link it already used does not come back, and a
# link's prompt goes when it expires, with no store change to wake it.
agent_stop
kiosk_start kiosk-timer 800x480 "$DB" || { t_fail "kiosk starts (timer)" "see $OUT/kiosk-timer.err"; exit 1; }
used=$(store_sql "$DB" "SELECT value FROM meta WHERE key = 'card_link_used'")
sqlite3 "$DB" "INSERT OR REPLACE INTO meta (key, value) VALUES ('card_link', '$used')"
k_sync
t_check "a link already used here is not shown again" \
    sh -c "[ -n '$used' ] && ! grep -q '^card link $PERSON\$' '$OUT/kiosk-timer.out'"
sqlite3 "$DB" "INSERT OR REPLACE INTO meta (key, value) VALUES ('card_link', '$(( $(date +%s) + 3 )) $PERSON')"
wait_until 10 grep -q "^card link $PERSON\$" "$OUT/kiosk-timer.out"
t_check "a link written to the store shows without a restart" grep -q "^card link $PERSON\$" "$OUT/kiosk-timer.out"
wait_until 10 grep -q '^card link none$' "$OUT/kiosk-timer.out"
t_check "its prompt goes when it expires" grep -q '^card link none$' "$OUT/kiosk-timer.out"
kiosk_stop
for f in "$OUT/kiosk.err" "$OUT/kiosk-big.err" "$OUT/kiosk-timer.err"; do
	if grep -q 'LeakSanitizer\|AddressSanitizer\|runtime error' "$f"; then
		t_fail "sanitizers clean ($(basename "$f"))" "$(grep -m1 'Sanitizer\|runtime error' "$f")"
	fi
done

# Privacy: the raw UID is nowhere at the hub (db, WAL, logs), in any case.
hub_stop
leak=$(grep -ril -e "$UID_NEW" -e "04:aa:bb:cc:dd:ee:ff" "$OUT"/hub.db* "$OUT"/hub.log "$OUT"/hub-demo.log "$OUT"/agent.log 2>/dev/null)
t_eq "the raw UID appears nowhere in the hub db or logs" "" "$leak"
t_done
