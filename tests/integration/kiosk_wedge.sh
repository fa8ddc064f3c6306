#!/usr/bin/env bash
# kiosk_wedge.sh — a keyboard-wedge card reader (a USB reader that types the
# UID and Enter) as input: the typed UID checks the person in, like a tap.
# QWERTY by key position, and AZERTY where the number row types & é " ' ( ...
# A 2D scanner typing a phone pass (KP1 + 40 digits, docs/PASSES.md) checks in
# like a card, once; a revoked pass is refused as unknown.
set -u
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/kiosk_lib.bash"

DB=$OUT/kiosk.db
count() { sql "$DB" "SELECT count(*) FROM events WHERE $1"; }

# type UID-as-keys then Enter, each key its own feed line. The kiosks run
# with wedge_gap_ms=300: a busy test machine may hold a key back longer than
# a real reader's 50 ms (the gap rule itself is test_wedge's); so a burst
# starts 0.5 s after the keys before it, as a card held to a reader would.
type_keys() { local k; sleep 0.5; for k in "$@"; do k_send key "$k"; done; k_sync; }

PASS=KP10000066051006743808701348101230202182159
# type_pass LAYOUT: the scanner types $PASS then Enter; on AZERTY the
# unshifted number row gives & é " ' ( - è _ ç à for 1..9 0
type_pass() {
	local i c keys=()
	for ((i = 0; i < ${#PASS}; i++)); do
		c=${PASS:i:1}
		if [ "$1" = azerty ]; then
			case $c in
			1) c='&' ;; 2) c='é' ;; 3) c='"' ;; 4) c="'" ;; 5) c='(' ;;
			6) c='-' ;; 7) c='è' ;; 8) c='_' ;; 9) c='ç' ;; 0) c='à' ;;
			esac
		fi
		keys+=("$c")
	done
	type_keys "${keys[@]}" Return
}
# pass_mac: the hub's MAC of $PASS under the kiosk's organisation key
# (HMAC-SHA256 of "pass:" + the 16 bytes, computed here independently)
pass_mac() {
	python3 - "$(sql "$DB" "SELECT value FROM meta WHERE key='org_key'")" "$PASS" <<'PY'
import hashlib, hmac, sys
key, p = bytes.fromhex(sys.argv[1]), sys.argv[2]
raw = b"".join(int(p[3 + 10 * g:13 + 10 * g]).to_bytes(4, "big") for g in range(4))
print(hmac.new(key, b"pass:" + raw, hashlib.sha256).hexdigest())
PY
}

kiosk_start qwerty 800x480 "$DB" --demo --set wedge=qwerty --set wedge_gap_ms=300 ||
	{ t_fail "kiosk starts" "no answer"; exit 1; }
type_keys 0 4 0 0 0 0 0 0 0 0 0 0 0 2 Return
t_eq "a wedge reader's UID checks in" welcome "$(k_screen)"
t_eq "one check_in for Daan" 1 "$(count "kind='check_in' AND person_id='p02'")"
k_do key Escape
type_keys 1 2 3 Return
t_eq "a short burst is no card" home "$(k_screen)"
t_eq "a short burst records nothing" 1 "$(count "1")"
k_do key p
t_eq "letters still work as keys (p opens the PIN pad)" pin "$(k_screen)"
k_do key Escape
# the hub sends a pass as a card-class credential (PROTOCOL.md)
sql "$DB" "INSERT INTO credentials (person_id, kind, mac, active) VALUES ('p05', 0, X'$(pass_mac)', 1)"
type_pass qwerty
t_eq "a scanned pass checks in" welcome "$(k_screen)"
t_eq "one check_in for the pass holder" 1 "$(count "kind='check_in' AND person_id='p05'")"
k_do key Escape
type_pass qwerty
t_eq "a second scan says already" already "$(k_screen)"
t_eq "a second scan records nothing" 1 "$(count "kind='check_in' AND person_id='p05'")"
k_do key Escape
kiosk_stop

# AZERTY: the number row without shift gives à & é " ' ( - è _ ç
kiosk_start azerty 800x480 "$DB" --set wedge=azerty --set wedge_gap_ms=300 ||
	{ t_fail "kiosk starts (azerty)" "no answer"; exit 1; }
type_keys à "'" à à à à à à à à à à à "'" Return
t_eq "AZERTY digits are understood" welcome "$(k_screen)"
t_eq "one check_in for Sarah via AZERTY" 1 "$(count "kind='check_in' AND person_id='p04'")"
k_do key Escape
type_pass azerty
t_eq "a pass scanned on AZERTY is read (already in)" already "$(k_screen)"
k_do key Escape
sql "$DB" "UPDATE credentials SET active = 0 WHERE mac = X'$(pass_mac)'"
type_pass azerty
t_eq "a revoked pass is refused as unknown" unknown "$(k_screen)"
t_eq "still one check_in for the pass holder" 1 "$(count "kind='check_in' AND person_id='p05'")"
t_check "the pass is never printed" sh -c "! grep -h '$PASS' '$OUT'/*.out '$OUT'/*.err"
kiosk_stop
t_check "no sanitizer report" sh -c "! grep -hE 'runtime error|AddressSanitizer' '$OUT'/*.err"
t_done
