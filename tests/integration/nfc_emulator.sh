#!/usr/bin/env bash
# nfc_emulator.sh — checks pn532-emu itself with libnfc's own tools (Debian
# libnfc-bin nfc-list, libnfc-examples nfc-poll): every card kind is listed
# with the right UID/ATQA/SAK, nfc-poll sees a card and its removal, and an
# unplugged, corrupt or slow emulated chip makes the tools fail, not hang.
# Output: "ok - ..." / "not ok - ..." lines (tests/lib.sh).
set -u
. "$(dirname "$0")/../lib.sh"

EMU=$BUILD/pn532-emu
LINK=$OUT/pn532
CTL=$OUT/ctl
EMU_OUT=$OUT/emu.out
export LIBNFC_DEVICE=pn532_uart:$LINK
unset LIBNFC_LOG_LEVEL

for tool in nfc-list nfc-poll; do
	if ! command -v "$tool" >/dev/null; then
		t_fail "$tool installed" "missing (provisioning/deps.sh test)"
		exit 1
	fi
done

rm -f "$CTL" "$LINK"
"$EMU" --link "$LINK" --ctl "$CTL" >"$EMU_OUT" 2>"$OUT/emu.err" &
EMU_PID=$!
trap 'kill "$EMU_PID" 2>/dev/null; wait "$EMU_PID" 2>/dev/null' EXIT

# ctl LINE: send a control line, wait for its answer (the N-th "ok"/"err").
N_ANS=1   # the first line is the slave path
# answered N: the emulator's output has N lines (read anew on every try:
# `wait_until 10 test "$(wc -l ...)"` counted once, before the emulator
# could answer, and then waited for nothing on a loaded machine)
answered() { [ "$(wc -l <"$EMU_OUT")" -ge "$1" ]; }
ctl() {
	printf '%s\n' "$1" >"$CTL"
	N_ANS=$((N_ANS + 1))
	wait_until 10 answered "$N_ANS" ||
		{ echo "emulator did not answer '$1'" >&2; return 1; }
	sed -n "${N_ANS}p" "$EMU_OUT" | grep -q '^ok'
}

wait_until 5 test -L "$LINK" || { t_fail "emulator starts" "no link $LINK"; exit 1; }
slave=$(head -n1 "$EMU_OUT")
case $slave in
/dev/pts/*) t_ok "emulator prints its pty ($slave)" ;;
*) t_fail "emulator prints its pty" "got '$slave'" ;;
esac

# nfc-list for one card: UID, ATQA and SAK as nfc-list prints them.
list_card() {
	local name=$1 uid=$2 atqa=$3 sak=$4 want_uid want_atqa out
	ctl "card $uid ${5:-}" || { t_fail "$name" "emulator refused the card"; return; }
	out=$(timeout 20 nfc-list -t 1 2>&1)
	want_uid=$(echo "$uid" | sed 's/../&  /g; s/  $//')
	want_atqa=$(echo "$atqa" | sed 's/../&  /g; s/  $//')
	if ! grep -q "UID (NFCID1): $want_uid *\$" <<<"$out"; then
		t_fail "$name: nfc-list UID" "$(grep -m1 UID <<<"$out")"
	elif ! grep -q "ATQA (SENS_RES): $want_atqa *\$" <<<"$out"; then
		t_fail "$name: nfc-list ATQA" "$(grep -m1 ATQA <<<"$out")"
	elif ! grep -q "SAK (SEL_RES): $sak *\$" <<<"$out"; then
		t_fail "$name: nfc-list SAK" "$(grep -m1 SAK <<<"$out")"
	else
		t_ok "$name listed by nfc-list"
	fi
	ctl remove
}

list_card "MIFARE Classic 1k, 4-byte UID" 5c3a9e01 0004 08
list_card "NTAG215, 7-byte UID" 04d2c3b4a59680 0044 00
list_card "DESFire EV1, 7-byte UID" 04112233445566 0344 20 "0344 20"
list_card "10-byte UID" 04a1b2c3d4e5f6071829 0044 00

# DESFire: the ATS after RATS (libnfc asks for it by default).
ctl "card 04112233445566 0344 20"
if timeout 20 nfc-list -t 1 2>&1 | grep -q 'ATS: 75  77  81  02  80'; then
	t_ok "DESFire ATS listed"
else
	t_fail "DESFire ATS listed" "no ATS line"
fi
ctl remove

# No card: nfc-list (all modulations: B, B', SRx, CTx, iClass, Jewel,
# Barcode probes included) finds nothing and ends.
out=$(timeout 30 nfc-list 2>&1); rc=$?
if [ $rc -eq 0 ] && ! grep -q 'target(s) found' <<<"$out"; then
	t_ok "nfc-list without a card finds nothing (all modulations)"
else
	t_fail "nfc-list without a card" "rc=$rc $(tail -n2 <<<"$out")"
fi

# nfc-poll: waits for a card (InAutoPoll), then for its removal.
for spec in "5c3a9e01" "04d2c3b4a59680" "04112233445566 0344 20"; do
	uid=${spec%% *}
	timeout 20 nfc-poll >"$OUT/poll.out" 2>&1 &
	poll_pid=$!
	sleep 0.5
	ctl "card $spec"
	wait_until 5 grep -q 'Waiting for card removing' "$OUT/poll.out"
	ctl remove
	wait "$poll_pid"; rc=$?
	want_uid=$(echo "$uid" | sed 's/../&  /g; s/  $//')
	if [ $rc -eq 0 ] && grep -q "UID (NFCID1): $want_uid" "$OUT/poll.out" &&
		grep -q 'done\.' "$OUT/poll.out"; then
		t_ok "nfc-poll sees ${#uid}-digit UID placed and removed"
	else
		t_fail "nfc-poll ${#uid}-digit UID" "rc=$rc $(tail -n2 "$OUT/poll.out" | tr '\n' ' ')"
	fi
done

# Corrupt answers: nfc-list fails cleanly (libnfc checks every checksum).
ctl "card 5c3a9e01"
ctl "garbage 3"
timeout 20 nfc-list -t 1 >"$OUT/garbage.out" 2>&1; rc=$?
if [ $rc -ne 124 ] && grep -qiE 'mismatch|error' "$OUT/garbage.out"; then
	t_ok "corrupt frames: nfc-list reports an error and ends"
else
	t_fail "corrupt frames" "rc=$rc"
fi
ctl "garbage 0"
if timeout 20 nfc-list -t 1 2>&1 | grep -q 'UID (NFCID1): 5c  3a  9e  01'; then
	t_ok "after corrupt frames the chip answers again"
else
	t_fail "after corrupt frames" "card not listed"
fi

# A slow chip (answers after 200 ms) still works within libnfc's timeouts.
ctl "slow 200"
if timeout 20 nfc-list -t 1 2>&1 | grep -q 'UID (NFCID1): 5c  3a  9e  01'; then
	t_ok "slow chip (200 ms) still listed"
else
	t_fail "slow chip" "card not listed"
fi
ctl "slow 0"
ctl remove

# Unplugged: the link is gone, nfc-list fails at once; replugged: works.
ctl unplug
start=$(date +%s%N)
timeout 20 nfc-list -t 1 >"$OUT/unplug.out" 2>&1; rc=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
if [ ! -e "$LINK" ] && [ $rc -ne 124 ] && ! grep -q 'target(s) found' "$OUT/unplug.out"; then
	t_ok "unplugged: nfc-list fails in $ms ms"
else
	t_fail "unplugged" "rc=$rc link=$(ls -l "$LINK" 2>&1)"
fi
ctl replug
ctl "card 04d2c3b4a59680"
if timeout 20 nfc-list -t 1 2>&1 | grep -q 'UID (NFCID1): 04  d2  c3  b4  a5  96  80'; then
	t_ok "replugged: the same link works (now $(readlink "$LINK"))"
else
	t_fail "replugged" "card not listed"
fi
ctl remove

ctl stats && t_ok "emulator stats: $(tail -n1 "$EMU_OUT" | cut -c10-)"
ctl quit
wait "$EMU_PID"; rc=$?
t_eq "emulator quits cleanly" 0 "$rc"
trap - EXIT
t_done
