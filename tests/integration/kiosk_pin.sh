#!/usr/bin/env bash
# kiosk_pin.sh — the PIN pad as a person with little practice meets it (issue
# 14, finding 6), with the real kiosk (demo store), at 800x480 and 1920x1080:
#  - one dot per digit typed, no empty slots (a 6-digit PIN is 6 dots);
#  - a wrong PIN says how many tries are left (4, 3, 2, then "once more");
#  - the lockout says to wait, or to use the card, or ask a coordinator;
#  - the keys keep their size when locked (same key boxes, same text height);
#  - (no orphan words on a last line: tests/unit/test_text_wrap.c);
#  - the right PIN still checks in (Joyce's 6 digits open coordinator mode).
# Texts and the dots are read from the kiosk's frame trace; screenshots go to
# $OUT/screens/ to be looked at.
set -u
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/kiosk_lib.bash"
export PRESENTIE_TRACE_TEXT=1

# frame_lines: the last traced frame
frame_lines() {
	awk '/^frame screen=/ { n = 0; delete t } { t[n++] = $0 } /^frame end/ { for (i = 0; i < n; i++) last[i] = t[i]; m = n }
	    END { for (i = 0; i < m; i++) print last[i] }' "$OUT/$K_NAME.out"
}
texts() { frame_lines | sed -n 's/^text .* s=//p'; }
dots() { frame_lines | sed -n 's/^mark pin_dots=//p'; }
# keys: "box height/ink height" of the keypad labels 1..9, 0, and the two
# word keys (by their text), one per line
keys() {
	frame_lines | awk -v a="$1" -v b="$2" '/^text / {
	    s = $0; sub(/.* s=/, "", s)
	    if (s ~ /^[0-9]$/ || s == a || s == b) {
	        split($2, at, /[=,]/); split($3, bx, /[=,]/)
	        print s, "box " bx[4] "x" bx[5], "ink height " at[5] } }' | sort
}
pin() { local d; for d in $(echo "$1" | grep -o .); do k_do key "$d"; done; }

walk() {
	local size=$1 db=$OUT/pin-$1.db i want
	rm -f "$db"*
	kiosk_start "pin-$size" "$size" "$db" --demo ||
		{ t_fail "$size: kiosk starts" "see $OUT/pin-$size.err"; return; }
	k_do key p
	t_eq "$size: an empty PIN shows no dots (no slots that tell a length)" 0 "$(dots)"
	k_shot "pin-empty-$size"
	pin 24068
	t_eq "$size: five digits typed, five dots" 5 "$(dots)"
	k_do key 0
	k_shot "pin-six-$size"
	t_eq "$size: a 6-digit PIN shows six dots" 6 "$(dots)"
	keys Wissen OK >"$OUT/keys-open-$size"
	k_do key BackSpace
	t_eq "$size: erasing one leaves five" 5 "$(dots)"
	k_do key Escape
	k_do key p
	for i in 1 2 3 4; do
		pin 0000
		k_do key Return
		want=$((5 - i))
		if [ $want -eq 1 ]; then
			t_check "$size: wrong PIN $i says it may be tried once more" \
				sh -c "$(declare -f frame_lines texts); K_NAME=$K_NAME OUT=$OUT; texts | tr '\n' ' ' | grep -q 'Deze pincode klopt niet. Je kunt het nog 1 keer proberen.'"
		else
			t_check "$size: wrong PIN $i says $want tries are left" \
				sh -c "$(declare -f frame_lines texts); K_NAME=$K_NAME OUT=$OUT; texts | tr '\n' ' ' | grep -q 'Deze pincode klopt niet. Je kunt het nog $want keer proberen.'"
		fi
	done
	k_shot "pin-wrong-last-$size"
	pin 0000
	k_do key Return
	k_shot "pin-locked-$size"
	t_check "$size: locked: wait, or use your card, or ask a coordinator" \
		sh -c "$(declare -f frame_lines texts); K_NAME=$K_NAME OUT=$OUT; texts | tr '\n' ' ' | grep -q 'Te vaak fout. Wacht [0-9]* seconden. Of gebruik je pas, of vraag een coördinator.'"
	keys Wissen OK >"$OUT/keys-locked-$size"
	t_eq "$size: the keys keep their size and text height when locked" \
		"$(cat "$OUT/keys-open-$size")" "$(cat "$OUT/keys-locked-$size")"
	t_eq "$size: 12 keys compared" 12 "$(wc -l <"$OUT/keys-locked-$size")"
	# no orphan word on a last line: tests/unit/test_text_wrap.c (the wrap
	# itself, at every width); the shots above are looked at
	kiosk_stop
	# the pad locks for a minute: a fresh kiosk, Joyce's right PIN
	kiosk_start "pin2-$size" "$size" "$db" ||
		{ t_fail "$size: kiosk restarts" "see $OUT/pin2-$size.err"; return; }
	k_do key p
	pin 240680
	k_do key Return
	t_eq "$size: Joyce's 6-digit PIN opens coordinator mode" coordinator "$(k_screen)"
	k_do key Escape
	kiosk_stop
	t_check "$size: no sanitizer report" sh -c "! grep -qE 'runtime error|AddressSanitizer|LeakSanitizer' '$OUT/pin-$size.err' '$OUT/pin2-$size.err'"
}

walk 800x480
walk 1920x1080
t_done
