#!/usr/bin/env bash
# nfc_kiosk.sh — issue 3's end-to-end tests through the real presentie-kiosk
# binary, its real libnfc reader thread (pn532_uart) and the PN532 emulator
# on a pseudo-terminal: 4- and 7-byte cards check in once, a card left on
# the reader gives one event, remove and re-present checks a volunteer out,
# reader unplugged -> status within 2 s, PIN still works, replugged -> taps
# work, a random UID -> "this card cannot be used", corrupt frames neither
# crash nor hang the kiosk, the coordinator's "show card number", libnfc's
# default device (nfc = default + LIBNFC_DEVICE), and no raw UID in the
# store, stderr or stdout.
# Cards reach the kiosk only through the emulator (never a feed `card` line).
set -u
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/kiosk_lib.bash"

EMU=$BUILD/pn532-emu
[ -x "$EMU" ] || { t_fail "pn532-emu built" "missing $EMU"; exit 1; }
command -v python3 >/dev/null || { t_fail "python3 present" "needed for the MAC"; exit 1; }

# Cards of this test. Demo cards (assets/demo/README.md) are 7-byte NTAGs;
# the 4-byte MIFARE Classic card is linked to Hatice D. (p13, no card) below.
CARD7=04000000000002        # Daan V., participant
CARD4=3e5a7c91              # linked to p13 here
CARDVOL=04000000000005      # Ingrid B., catering volunteer
CARDBACK=04000000000003     # Emre Y.: a tap after the replug
CARDNOISE=04000000000007    # Yasmin K.: a tap after corrupt frames
CARDRAND=08c0ffee           # random UID (RID 0x08)
CARDCOORD=04000000000008    # Joyce M., coordinator
ALL_UIDS="$CARD7 $CARD4 $CARDVOL $CARDBACK $CARDNOISE $CARDRAND $CARDCOORD"
PIN=4821                    # Fatima E. (p01)
# The rules' repeat window is 120 s; the test shortens it to REPEAT_S through
# the kiosk config (repeat_seconds) so "re-present after the window" takes
# seconds, not two minutes. The card-left test lasts longer than the window,
# so a duplicate card event would show up as a check-out.
REPEAT_S=4
LEFT_S=10

LINK=$OUT/pn532 CTL=$OUT/ctl EMU_OUT=$OUT/emu.out
rm -f "$LINK" "$CTL"
"$EMU" --link "$LINK" --ctl "$CTL" >"$EMU_OUT" 2>"$OUT/emu.err" &
EMU_PID=$!
trap 'kill "$EMU_PID" 2>/dev/null; [ -n "$K_PID" ] && kill -9 "$K_PID" 2>/dev/null' EXIT
N_ANS=1                     # the emulator's first stdout line is the pty path
emu_answered() { [ "$(wc -l <"$EMU_OUT")" -ge "$N_ANS" ]; }
# ctl_send LINE / ctl_wait: a control line, then its "ok" (3 s at most)
ctl_send() { printf '%s\n' "$1" >"$CTL"; N_ANS=$((N_ANS + 1)); }
ctl_wait() {
	wait_until 3 emu_answered || { echo "# emulator did not answer"; return 1; }
	tail -n1 "$EMU_OUT" | grep -q '^ok' || { echo "# emulator refused"; return 1; }
}
ctl() { ctl_send "$1"; ctl_wait || t_fail "emulator takes '${1%% *}'" "no ok"; }
wait_until 5 test -L "$LINK" || { t_fail "emulator starts" "no link"; exit 1; }

DB=$OUT/kiosk.db
OUTF=$OUT/nfc.out
count() { sql "$DB" "SELECT count(*) FROM events WHERE $1"; }
has_count() { [ "$(count "$1")" = "$2" ]; }
lines() { grep -c "$1" "$OUTF"; }
lines_above() { [ "$(lines "$1")" -gt "$2" ]; }
# the screens a card event leads to (flow.c prints one per card event)
REACT='^screen \(welcome\|already\|checkout\|unknown\|message\|choose\)$'
now_ms() { local t=${EPOCHREALTIME/./}; echo $((t / 1000)); }

kiosk_start nfc 800x480 "$DB" --demo --set "nfc=pn532_uart:$LINK" \
	--set "repeat_seconds=$REPEAT_S" ||
	{ t_fail "kiosk starts" "no answer"; exit 1; }
t_check "the reader comes up" wait_until 15 grep -q '^reader ready' "$OUTF"

# Link the 4-byte card to p13 as the hub would deliver it: the credential's
# MAC is HMAC-SHA256 under the demo org key of "card:" + UID bytes
# (sync/common/cred.c), computed independently of the kiosk.
KEY=$(sed -n 's/^org_key *= *\([0-9a-f]*\).*/\1/p' assets/demo/demo.conf)
MAC4=$(python3 -c 'import hmac,hashlib,sys
print(hmac.new(bytes.fromhex(sys.argv[1]), b"card:" + bytes.fromhex(sys.argv[2]),
hashlib.sha256).hexdigest())' "$KEY" "$CARD4")
sqlite3 -batch "$DB" ".timeout 3000" \
	"INSERT INTO credentials (person_id, kind, mac, active) VALUES ('p13', 0, X'$MAC4', 1)" ||
	t_fail "link the 4-byte card" "insert failed"

# tap UID PERSON NAME: place the card, expect one check_in, lift it.
tap() {
	ctl "card $1"
	t_check "$3: checks in" wait_until 10 has_count "kind='check_in' AND person_id='$2'" 1
	k_sync
	t_eq "$3: shows welcome" welcome "$(k_screen)"
	sleep 1                 # several presence checks while it lies there
	ctl remove
	t_eq "$3: exactly one check_in" 1 "$(count "person_id='$2'")"
}
tap "$CARD7" p02 "7-byte card"
tap "$CARD4" p13 "4-byte card"

# Left on the reader, past the repeat window: one event, no check-out.
r0=$(lines "$REACT")
ctl "card $CARDVOL"
t_check "volunteer card checks in" wait_until 10 has_count "kind='check_in' AND person_id='p05'" 1
sleep "$LEFT_S"
t_eq "card left ${LEFT_S} s: one event in the store" 1 "$(count "person_id='p05'")"
t_eq "card left ${LEFT_S} s: the kiosk reacted once" $((r0 + 1)) "$(lines "$REACT")"
ctl remove
sleep 1
# Taken away and back, after the (shortened) window: a check-out.
ctl "card $CARDVOL"
t_check "re-presented after the window: volunteer checks out" \
	wait_until 10 has_count "kind='check_out' AND person_id='p05'" 1
k_sync
t_eq "the check-out screen" checkout "$(k_screen)"
t_eq "re-presented: one check_in, one check_out" 2 "$(count "person_id='p05'")"
ctl remove
k_do key Escape

# Reader unplugged: the status within 2 s (emulator's unplug -> kiosk trace).
d0=$(lines '^reader disconnected')
t0=$(now_ms)
ctl_send unplug
end=$((t0 + 3000))
while ! lines_above '^reader disconnected' "$d0" && [ "$(now_ms)" -lt "$end" ]; do
	sleep 0.01
done
t1=$(now_ms)
if lines_above '^reader disconnected' "$d0"; then
	echo "# unplug -> 'reader disconnected': $((t1 - t0)) ms"
	t_check "unplugged: status within 2 s ($((t1 - t0)) ms)" test $((t1 - t0)) -le 2000
else
	t_fail "unplugged: status within 2 s" "no 'reader disconnected' within 3 s"
fi
ctl_wait
k_shot nfc-reader-not-connected
k_do pin "$PIN"
t_eq "unplugged: the PIN path checks in" 1 "$(count "kind='check_in' AND person_id='p01'")"
t_eq "unplugged: PIN shows welcome" welcome "$(k_screen)"
k_do key Escape
ready0=$(lines '^reader ready')
ctl replug
t_check "replugged: reader ready again" wait_until 5 lines_above '^reader ready' "$ready0"
tap "$CARDBACK" p03 "after the replug"

# A random UID: the clear message, no event.
n0=$(count 1)
r0=$(lines '^screen unknown')
ctl "card $CARDRAND"
t_check "random UID: the kiosk says so" wait_until 10 lines_above '^screen unknown' "$r0"
k_sync
t_check "random UID: offers the PIN pad" k_has pin:0
t_check "random UID: offers no guest check-in" test -z "$(k_target guest:0)"
k_shot nfc-random-card
t_eq "random UID: no event" "$n0" "$(count 1)"
ctl remove
k_do key Escape

# Corrupt frames and line noise: no crash, no hang, a card still checks in.
ctl "garbage 12"
ctl noise
sleep 2
t_check "corrupt frames: kiosk still running" kill -0 "$K_PID"
t_check "corrupt frames: kiosk answers a screenshot" k_sync
ctl noise
tap "$CARDNOISE" p07 "after corrupt frames"
t_eq "corrupt frames: no check_in beyond the taps" 6 "$(count "kind='check_in'")"

# The one place a UID may appear: the coordinator's "show card number"
# (reader_support_uid), on screen only; the privacy checks below still hold.
ctl "card $CARDCOORD"
t_check "coordinator card opens coordinator mode" \
	wait_until 10 sh -c "grep '^screen ' '$OUTF' | tail -n1 | grep -qx 'screen coordinator'"
ctl remove
if k_touch coord:5; then
	ctl "card $CARD4"
	sleep 0.5
	k_shot nfc-coord-cardno
	ctl remove
	sleep 0.5
	k_shot nfc-coord-cardno-gone
else
	t_fail "coordinator: show card number" "no coord:5 target"
fi
k_do key Escape
k_do key Escape

kiosk_stop
t_eq "kiosk exits cleanly" 0 "$K_RC"

# No connstring in the kiosk config: libnfc's own default device, here
# through LIBNFC_DEVICE (as /etc/nfc/libnfc.conf would give it).
CARDDEF=04000000000004      # Sarah J.
ALL_UIDS="$ALL_UIDS $CARDDEF"
export LIBNFC_DEVICE="pn532_uart:$LINK"
kiosk_start nfcdef 800x480 "$DB" --set nfc=default ||
	t_fail "kiosk starts with nfc = default" "no answer"
unset LIBNFC_DEVICE
t_check "nfc = default: libnfc's default device comes up" \
	wait_until 15 grep -q '^reader ready' "$OUT/nfcdef.out"
ctl "card $CARDDEF"
t_check "nfc = default: a card checks in" \
	wait_until 10 has_count "kind='check_in' AND person_id='p04'" 1
ctl remove
kiosk_stop
t_eq "kiosk (nfc = default) exits cleanly" 0 "$K_RC"
printf "quit\n" >"$CTL"

# No raw UID anywhere: the store, the kiosk's stdout and stderr; any case,
# with or without byte separators ("3e5a7c91", "3E 5A 7C 91", "3e:5a:...").
uid_re() { printf '%s' "$1" | sed 's/\(..\)/\1[ :-]?/g; s/\[ :-\]?$//'; }
t_check "the UID grep finds a planted UID (control)" \
	sh -c "echo 'card 3E 5A 7C 91 here' | grep -Eiq '$(uid_re "$CARD4")'"
sqlite3 -batch "$DB" .dump >"$OUT/dump.sql"
for u in $ALL_UIDS; do
	re=$(uid_re "$u")
	for f in "$OUT/dump.sql" "$OUTF" "$OUT/nfc.err" "$OUT/nfcdef.out" \
	    "$OUT/nfcdef.err"; do
		if grep -Eiq "$re" "$f"; then
			t_fail "no raw UID in $(basename "$f")" "found one"
			continue 2
		fi
	done
done
t_ok "no raw UID in the store dump, stdout or stderr ($(echo "$ALL_UIDS" | wc -w) UIDs)"
t_check "no sanitizer report" sh -c "! grep -hE 'runtime error|AddressSanitizer' '$OUT'/*.err"
t_done
