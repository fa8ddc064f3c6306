#!/usr/bin/env bash
# kiosk_valgrind.sh — the kiosk's main paths under valgrind on a non-sanitizer
# build (build/release): home (and its pages), a tap (welcome), a repeat tap (already), the
# PIN pad with a right and wrong PINs, an unknown card and a guest, the
# roster, the coordinator menu, a screenshot, quit, with the chime on
# alsa-lib's file plugin (its thread and PCM). Asserts no definite leak
# and no invalid read/write or uninitialised use. System-library noise is
# suppressed in tests/data/valgrind.supp (never our frames).
# Skips (ok) when valgrind or the release binary is missing.
set -u
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/kiosk_lib.bash"

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=$BUILD/../release/presentie-kiosk
VLOG=$OUT/valgrind.log
DB=$OUT/kiosk.db

if ! command -v valgrind >/dev/null; then
	t_ok "valgrind: skipped (valgrind not installed)"; exit 0
fi
if [ ! -x "$BIN" ]; then
	t_ok "valgrind: skipped (no $BIN; make MODE=release programs)"; exit 0
fi

SUPP=$ROOT/tests/data/valgrind.supp
# Our own frames are never suppressed: no fun: line may name a symbol of ours.
ours=$(nm --defined-only "$BIN" 2>/dev/null | awk '$2 ~ /^[TtDdBb]$/ {print $3}' | sort -u)
named=$(sed -n 's/^[[:space:]]*fun:\([A-Za-z0-9_]*\).*/\1/p' "$SUPP" | sort -u)
bad=$(comm -12 <(printf '%s\n' "$ours") <(printf '%s\n' "$named") | tr '\n' ' ')
if [ -n "$(printf '%s' "$ours")" ] && [ -z "$bad" ]; then
	t_ok "the suppressions name no function of ours"
else
	t_fail "the suppressions name no function of ours" "${bad:-nm found no symbols}"
fi

K_BIN=$BIN
K_WAIT_S=60          # valgrind runs the kiosk 20-50x slower
K_SOUND="file:FILE=$OUT/chime.raw"   # the chime thread and alsa-lib too
K_WRAP=(valgrind --leak-check=full --errors-for-leak-kinds=definite
	--show-leak-kinds=definite --error-exitcode=99 --track-origins=no
	--suppressions="$SUPP" --gen-suppressions=all
	--log-file="$VLOG")
t0=$(date +%s)

kiosk_start vg 800x480 "$DB" --demo || { t_fail "kiosk starts under valgrind" "no answer"; exit 1; }
count() { sql "$DB" "SELECT count(*) FROM events WHERE $1"; }
t_eq "home" home "$(k_screen)"
k_touch lang:2 >/dev/null          # Arabic: the right-to-left text path
k_do key PageDown                  # the today panel's next page
k_touch lang:0 >/dev/null
if ! k_has page:0; then             # and back to the first by touch
	t_ok "the today panel: one page, nothing to turn"
elif k_touch page:0 >/dev/null; then
	t_ok "the today panel turns its pages"
else
	t_fail "the today panel turns its pages" "touch failed"
fi
k_do card 04000000000002
t_eq "a tap: welcome" welcome "$(k_screen)"
k_do card 04000000000002
t_eq "a repeat tap: already" already "$(k_screen)"
k_do key Escape
k_do key p
t_eq "the PIN pad" pin "$(k_screen)"
k_do key 2; k_do key 5; k_do key Return
k_do key Escape
k_do pin 7316
t_eq "a right PIN: welcome" welcome "$(k_screen)"
n0=$(count "1")
k_do pin 0000
k_do pin 1111
t_eq "a wrong PIN keeps the pad" pin "$(k_screen)"
t_eq "wrong PINs record nothing" "$n0" "$(count "1")"
k_do key Escape
k_do card 04A1B2C3D4E5F6
t_eq "unknown card" unknown "$(k_screen)"
if k_touch guest:0 >/dev/null && k_touch guest_ok:0 >/dev/null; then
	t_eq "guest check-in: welcome" welcome "$(k_screen)"
else
	t_fail "guest check-in" "no guest target"
fi
k_do key Escape
k_do key r
t_eq "roster" roster "$(k_screen)"
k_do key Escape
k_do card 04000000000008
t_eq "coordinator menu" coordinator "$(k_screen)"
k_touch coord:1 >/dev/null         # head count
k_touch coord:0 >/dev/null
k_touch coord:2 >/dev/null         # find a person, link a new card
k_do key t; k_do key o
k_touch pick:0 >/dev/null
k_do card 04000000000042
t_eq "a linked card records one credential_enrolled" 1 "$(count "kind='credential_enrolled'")"
k_shot valgrind-coord
t_check "a screenshot is written" test -s "$OUT/screens/valgrind-coord.png"
k_do key Escape
kiosk_stop
t_eq "the kiosk quits with status 0 (99 = valgrind found errors)" 0 "$K_RC"

# Valgrind's own verdict: the summary must be there (valgrind ran to the
# end), with no error and no definitely lost byte; on failure, the stacks.
t_check "valgrind wrote its summary" grep -q 'ERROR SUMMARY:' "$VLOG"
lost=$(sed -n 's/.*definitely lost: \([0-9,]*\) bytes.*/\1/p' "$VLOG" | tr -d ,)
if [ "${lost:-0}" = 0 ]; then
	t_ok "no definite leaks"
else
	t_fail "no definite leaks" "$lost bytes: $(grep -m2 -A14 'definitely lost in' "$VLOG" | tr '\n' '|')"
fi
errs=$(sed -n 's/.*ERROR SUMMARY: \([0-9,]*\) errors.*/\1/p' "$VLOG" | tr -d ,)
if [ "${errs:-x}" = 0 ]; then
	t_ok "no invalid reads, writes or uninitialised uses"
else
	t_fail "no invalid reads, writes or uninitialised uses" \
		"${errs:-?} errors: $(grep -m2 -A14 -E 'Invalid|uninitialised|Mismatched|overlap' "$VLOG" | tr '\n' '|')"
fi
echo "# valgrind run took $(( $(date +%s) - t0 )) s"
t_done
