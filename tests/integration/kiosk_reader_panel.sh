#!/usr/bin/env bash
# kiosk_reader_panel.sh — the kiosk says what to do when no card can be read,
# and the coordinator's headcount says what its numbers are (issue 14,
# findings 7 and 9), with the real kiosk (demo store) at 800x480 and
# 1920x1080:
#  - an NFC reader configured but not there (libnfc cannot open it): the main
#    panel says the card reader does not work, to use the PIN and ask a
#    coordinator (not only small grey text under "Hold your card here"); a
#    touch on the panel opens the PIN pad;
#  - with a working card source the prompt is the usual "Houd je pas hier";
#  - the headcount has a header ("Bijeenkomsten vandaag", "Nu aanwezig") and
#    a word under each number ("personen" / "persoon").
set -u
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/kiosk_lib.bash"
export PRESENTIE_TRACE_TEXT=1

texts() {
	awk '/^frame screen=/ { n = 0; delete t } /^text / { sub(/.* s=/, ""); t[n++] = $0 }
	    END { for (i = 0; i < n; i++) print t[i] }' "$OUT/$K_NAME.out"
}
has() { texts | grep -qF "$1"; }

walk() {
	local size=$1 db=$OUT/panel-$1.db
	rm -f "$db"*
	kiosk_start "gone-$size" "$size" "$db" --demo --set "nfc=pn532_uart:$OUT/no-such-reader" ||
		{ t_fail "$size: kiosk starts" "see $OUT/gone-$size.err"; return; }
	wait_until 20 grep -q '^reader disconnected' "$OUT/$K_NAME.out"
	t_check "$size: libnfc finds no reader (disconnected)" grep -q '^reader disconnected' "$OUT/$K_NAME.out"
	k_sync
	k_shot "no-reader-$size"
	t_check "$size: the main panel says the card reader does not work" has "De kaartlezer werkt niet"
	t_check "$size: ... to use the PIN and ask a coordinator" has "Gebruik je pincode. Vraag een coördinator om hulp."
	t_check "$size: and no longer says 'Houd je pas hier'" sh -c \
		"$(declare -f texts has); OUT=$OUT K_NAME=$K_NAME; ! has 'Houd je pas hier'"
	k_touch pin:0 >/dev/null
	t_eq "$size: a touch opens the PIN pad" pin "$(k_screen)"
	kiosk_stop

	kiosk_start "ok-$size" "$size" "$db" ||
		{ t_fail "$size: kiosk starts" "see $OUT/ok-$size.err"; return; }
	t_check "$size: with a card source the prompt is 'Houd je pas hier'" has "Houd je pas hier"
	t_check "$size: ... and no reader warning" sh -c "! grep -q 'De kaartlezer werkt niet' '$OUT/$K_NAME.out'"
	k_do card 04000000000001
	k_do card 04000000000002
	k_do key Escape
	k_do card 04000000000008
	k_touch coord:1 >/dev/null
	k_shot "headcount-$size"
	t_check "$size: the headcount says what its columns are" sh -c \
		"$(declare -f texts); OUT=$OUT K_NAME=$K_NAME; texts | grep -qx 'Bijeenkomsten vandaag' && texts | grep -qx 'Nu aanwezig'"
	t_check "$size: each number has its word (persoon/personen)" sh -c \
		"$(declare -f texts); OUT=$OUT K_NAME=$K_NAME; [ \"\$(texts | grep -cx 'personen\|persoon')\" -ge 2 ]"
	kiosk_stop
	t_check "$size: no sanitizer report" sh -c "! grep -qE 'runtime error|AddressSanitizer|LeakSanitizer' '$OUT/gone-$size.err' '$OUT/ok-$size.err'"
}

walk 800x480
walk 1920x1080
t_done
