#!/usr/bin/env bash
# kiosk_wedge.sh — a keyboard-wedge card reader (a USB reader that types the
# UID and Enter) as input: the typed UID checks the person in, like a tap.
# QWERTY by key position, and AZERTY where the number row types & é " ' ( ...
set -u
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/kiosk_lib.bash"

DB=$OUT/kiosk.db
count() { sql "$DB" "SELECT count(*) FROM events WHERE $1"; }

# type UID-as-keys then Enter, each key its own feed line
type_keys() { local k; for k in "$@"; do k_send key "$k"; done; k_sync; }

kiosk_start qwerty 800x480 "$DB" --demo --set wedge=qwerty ||
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
kiosk_stop

# AZERTY: the number row without shift gives à & é " ' ( - è _ ç
kiosk_start azerty 800x480 "$DB" --set wedge=azerty ||
	{ t_fail "kiosk starts (azerty)" "no answer"; exit 1; }
type_keys à "'" à à à à à à à à à à à "'" Return
t_eq "AZERTY digits are understood" welcome "$(k_screen)"
t_eq "one check_in for Sarah via AZERTY" 1 "$(count "kind='check_in' AND person_id='p04'")"
kiosk_stop
t_check "no sanitizer report" sh -c "! grep -hE 'runtime error|AddressSanitizer' '$OUT'/*.err"
t_done
