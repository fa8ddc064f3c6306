#!/usr/bin/env bash
# kiosk_nfc.sh — the kiosk with its real libnfc reader (pn532_uart) against
# the PN532 emulator on a pseudo-terminal: the status line says the reader
# is ready, a card placed on it checks the person in (one event, welcome),
# and an unplugged reader shows "not connected".
set -u
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/kiosk_lib.bash"

EMU=$BUILD/pn532-emu
[ -x "$EMU" ] || { t_fail "pn532-emu built" "missing $EMU"; exit 1; }
LINK=$OUT/pn532 CTL=$OUT/ctl EMU_OUT=$OUT/emu.out
rm -f "$LINK" "$CTL"
"$EMU" --link "$LINK" --ctl "$CTL" >"$EMU_OUT" 2>"$OUT/emu.err" &
EMU_PID=$!
trap 'kill "$EMU_PID" 2>/dev/null; [ -n "$K_PID" ] && kill -9 "$K_PID" 2>/dev/null' EXIT
N_ANS=1
ctl() {
	printf '%s\n' "$1" >"$CTL"
	N_ANS=$((N_ANS + 1))
	wait_until 3 test "$(wc -l <"$EMU_OUT")" -ge "$N_ANS"
}
wait_until 5 test -L "$LINK" || { t_fail "emulator starts" "no link"; exit 1; }

DB=$OUT/kiosk.db
kiosk_start nfc 800x480 "$DB" --demo --set "nfc=pn532_uart:$LINK" ||
	{ t_fail "kiosk starts" "no answer"; exit 1; }
t_check "the reader comes up" wait_until 15 grep -q '^reader ready' "$OUT/nfc.out"
ctl "card 04000000000002"
t_check "a card on the reader checks in" wait_until 10 sh -c \
	"sqlite3 '$DB' \"SELECT count(*) FROM events WHERE kind='check_in' AND person_id='p02'\" | grep -qx 1"
k_sync
t_eq "the card's check-in shows welcome" welcome "$(k_screen)"
ctl "remove"
ctl "unplug"
t_check "an unplugged reader is reported" wait_until 15 grep -q '^reader disconnected' "$OUT/nfc.out"
kiosk_stop
t_check "no sanitizer report" sh -c "! grep -hE 'runtime error|AddressSanitizer' '$OUT'/*.err"
t_done
