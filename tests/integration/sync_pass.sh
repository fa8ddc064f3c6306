#!/usr/bin/env bash
# sync_pass.sh — a phone pass end to end: the coordinator issues a pass for
# Ingrid B. (p05) on the dashboard; the running presentie-sync pulls its HMAC
# (as a card credential) into the kiosk's store; a 2D scanner in keyboard
# mode types it on the real kiosk (wedge=qwerty, keys via --feed): she checks
# in exactly once, a second scan says "already"; after the coordinator
# revokes the pass and the next pull, the scan is refused as unknown. The
# pass string is never in the hub's or the kiosk's database.
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
PERSON=p05
sync_demo_enrolled "$URL" "$DB" || exit 1
agent_start "$DB" --pull-interval 1
kiosk_start kiosk 800x480 "$DB" --set wedge=qwerty || { t_fail "kiosk starts" "no answer (see $OUT/kiosk.err)"; exit 1; }

# dash METHOD PATH [BODY]: the dashboard API with the session cookie and CSRF token.
dash() {
	curl -s -m 10 -b "$JAR" -c "$JAR" -X "$1" -H 'Content-Type: application/json' \
	    -H "X-CSRF-Token: ${CSRF:-}" ${3:+--data "$3"} "$HUB_URL$2"
}
CSRF=$(dash POST /v1/session '{"email": "demo@presentie.test", "password": "presentie-demo"}' |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf"])' 2>/dev/null)
t_check "the coordinator logs in" test -n "$CSRF"
issued=$(dash POST /v1/dash/people/$PERSON/pass '{}')
PASS=$(printf '%s' "$issued" | python3 -c 'import json,sys; print(json.load(sys.stdin)["pass"])' 2>/dev/null)
REF=$(printf '%s' "$issued" | python3 -c 'import json,sys; print(json.load(sys.stdin)["ref"])' 2>/dev/null)
t_check "a pass is issued" grep -Eqx 'KP1[0-9]{40}' <<<"$PASS"

# scan: the scanner types the pass and Enter, one key a feed line
scan() {
	local i
	for ((i = 0; i < ${#PASS}; i++)); do k_send key "${PASS:i:1}"; done
	k_send key Return
	k_sync
}
creds() { store_sql "$DB" "SELECT count(*) FROM credentials WHERE person_id = '$PERSON' AND hex(mac) LIKE upper('$REF') || '%' AND active = $1"; }

wait_until 20 sh -c "[ \"\$(sqlite3 '$DB' \"SELECT count(*) FROM credentials WHERE hex(mac) LIKE upper('$REF') || '%' AND active = 1\")\" = 1 ]"
t_eq "the pull brought the pass's HMAC as Ingrid's card credential" 1 "$(creds 1)"
scan
t_eq "the scanned pass checks Ingrid in" welcome "$(k_screen)"
t_eq "one check-in" 1 "$(store_sql "$DB" "SELECT count(*) FROM events WHERE person_id = '$PERSON' AND kind IN ('check_in', 'drop_in')")"
k_do key Escape
scan
t_eq "a second scan within 2 minutes says already" already "$(k_screen)"
t_eq "still one check-in" 1 "$(store_sql "$DB" "SELECT count(*) FROM events WHERE person_id = '$PERSON' AND kind IN ('check_in', 'drop_in')")"
k_do key Escape

dash POST /v1/dash/people/$PERSON/revoke '{"kind": "qr"}' >/dev/null
wait_until 20 sh -c "[ \"\$(sqlite3 '$DB' \"SELECT count(*) FROM credentials WHERE hex(mac) LIKE upper('$REF') || '%' AND active = 1\")\" = 0 ]"
t_eq "after the revocation and the next pull the kiosk no longer holds it active" 0 "$(creds 1)"
scan
t_eq "a revoked pass is refused as unknown" unknown "$(k_screen)"
t_eq "and records no check-in" 1 "$(store_sql "$DB" "SELECT count(*) FROM events WHERE person_id = '$PERSON' AND kind IN ('check_in', 'drop_in')")"
k_do key Escape
kiosk_stop
t_check "the pass is not in the kiosk's store" sh -c "! grep -aq '$PASS' '$DB'* && ! sqlite3 '$DB' .dump | grep -q '$PASS'"
t_check "nor in the hub's database" sh -c "! grep -aq '$PASS' '$OUT'/hub.db* && ! sqlite3 '$OUT/hub.db' .dump | grep -q '$PASS'"
t_check "nor in any log" sh -c "! grep -rq '$PASS' '$OUT' --include='*.out' --include='*.err' --include='*.log'"
t_check "no sanitizer report" sh -c "! grep -hE 'runtime error|AddressSanitizer' '$OUT'/*.err"
t_done
