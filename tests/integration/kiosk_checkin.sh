#!/usr/bin/env bash
# kiosk_checkin.sh — the check-in loop end to end on the real binary: a tap
# gives exactly one check_in event and the welcome screen, a repeat tap none,
# the PIN path, the PIN lockout, an unknown card with guest check-in, a
# random-UID card, a store that refuses the write (no confirmation shown),
# and kill -9 right after a confirmation (the event survives).
set -u
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/kiosk_lib.bash"

DB=$OUT/kiosk.db
count() { sql "$DB" "SELECT count(*) FROM events WHERE $1"; }

kiosk_start main 800x480 "$DB" --demo || { t_fail "kiosk starts" "no answer"; exit 1; }
t_eq "starts on the home screen" home "$(k_screen)"

k_do card 04000000000002
t_eq "a tap shows welcome" welcome "$(k_screen)"
t_eq "a tap records exactly one check_in" 1 "$(count "kind='check_in' AND person_id='p02'")"
t_eq "the check_in has the running workshop" ws-04 \
	"$(sql "$DB" "SELECT session_id FROM events WHERE kind='check_in' AND person_id='p02'")"

k_do key Escape
k_do card 04000000000002
t_eq "a repeat tap says already" already "$(k_screen)"
t_eq "a repeat tap records nothing" 1 "$(count "kind='check_in' AND person_id='p02'")"

k_do pin 7316
t_eq "PIN of Sarah shows welcome" welcome "$(k_screen)"
t_eq "PIN records one check_in" 1 "$(count "kind='check_in' AND person_id='p04'")"

n0=$(count "1")
k_do card 04A1B2C3D4E5F6
t_eq "unknown card says so" unknown "$(k_screen)"
t_eq "unknown card records nothing" "$n0" "$(count "1")"
if k_touch guest:0; then
	t_eq "guest button opens guest screen" guest "$(k_screen)"
	k_touch guest_ok:0
	t_eq "guest check-in shows welcome" welcome "$(k_screen)"
	t_eq "guest check-in records one guest event" 1 "$(count "kind='guest'")"
	t_eq "the guest is at the open meeting" win-01 \
		"$(sql "$DB" "SELECT session_id FROM events WHERE kind='guest'")"
else
	t_fail "guest button offered at the open meeting" "no guest target"
fi

n0=$(count "1")
k_do card 08A1B2C3
t_eq "random-UID card is refused" unknown "$(k_screen)"
t_check "random-UID card offers the PIN pad instead" k_has pin:0
t_eq "random-UID card records nothing" "$n0" "$(count "1")"

# The store refuses the write: the person must not see a confirmation.
sql "$DB" "CREATE TRIGGER t_refuse BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'test'); END;"
before=$(k_events)
k_do card 04000000000003
t_eq "a refused write shows the problem, not welcome" message "$(k_screen)"
t_eq "a refused write prints no confirmation" "$before" "$(k_events)"
t_eq "a refused write leaves no event" 0 "$(count "person_id='p03'")"
sql "$DB" "DROP TRIGGER t_refuse;"

# Lockout: 5 wrong PINs within a minute lock the pad.
k_do key Escape
for _ in 1 2 3 4 5; do k_do pin 0000; done
t_check "5 wrong PINs lock the pad" grep -q '^pin locked' "$OUT/main.out"
k_do pin 4821
t_eq "a right PIN during the lock does nothing" 0 "$(count "person_id='p01'")"
t_eq "the pad stays on screen while locked" pin "$(k_screen)"
t_check "the locked pad offers no digits" test -z "$(k_target digit:1)"
t_check "the locked pad still offers a way back" k_has home:0

# kill -9 right after the confirmation
k_do key Escape
before=$(k_events)
k_send card 04000000000007
if wait_until 20 k_events_above "$before"; then
	kill -9 "$K_PID"
	wait "$K_PID" 2>/dev/null
	K_PID=""
	exec 3>&-
	kiosk_start restart 800x480 "$DB" --set coordinator_idle_seconds=10 \
		--set welcome_seconds=2
	t_eq "after kill -9 the confirmed check_in is in the store" 1 \
		"$(count "kind='check_in' AND person_id='p07'")"
	k_do card 04000000000007
	# (after its reading time: the words at 100 a minute, kiosk_outcome.sh)
	t_check "a confirmation goes home by itself" wait_until 30 sh -c \
		"grep '^screen ' '$OUT/restart.out' | tail -n1 | grep -q home"
	k_do card 04000000000008
	t_eq "the coordinator's card opens coordinator mode" coordinator "$(k_screen)"
	t_check "coordinator mode closes by itself when untouched" wait_until 14 sh -c \
		"grep '^screen ' '$OUT/restart.out' | tail -n1 | grep -q home"
	kiosk_stop
	t_eq "the kiosk exits 0 on quit" 0 "$K_RC"
else
	t_fail "kill -9 after confirmation" "no confirmation seen"
	kiosk_stop
fi
t_check "no untranslated text" sh -c "! grep -h 'i18n: missing' '$OUT'/*.err"
t_check "no sanitizer report" sh -c "! grep -hE 'runtime error|AddressSanitizer' '$OUT'/*.err"
t_done
