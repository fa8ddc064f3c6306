#!/usr/bin/env bash
# kiosk_screens.sh — every screen of the kiosk at 800x480 (the 7" Pi panel)
# and 1920x1080, in Dutch and the other languages where they differ,
# written to $OUT/screens/SIZE-NAME.png for people to look at; and checks
# that each screen was reached, and that no text fell back untranslated.
set -u
# every text each frame drew, with its box: nothing may be cut with an
# ellipsis or fall out of its box (issue 14, finding 8)
export PRESENTIE_TRACE_TEXT=1
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/kiosk_lib.bash"

walk() {                      # walk SIZE: every screen at one size
	local size=$1 db=$OUT/screens-$1.db p=$1
	rm -f "$db"*
	kiosk_start "walk-$size" "$size" "$db" --demo || { t_fail "$size: kiosk starts" "no answer"; return; }
	shot() { k_shot "$p-$1"; t_eq "$p: $1 reached" "$2" "$(k_screen)"; }
	shot home-nl home
	for l in 1:en 2:ar 3:tr 4:uk; do
		k_touch "lang:${l%%:*}" >/dev/null && k_shot "$p-home-${l#*:}"
	done
	k_touch lang:2 >/dev/null        # Arabic for the next few screens
	k_do key p;            shot pin-ar pin
	k_do key Escape
	k_do card 04A1B2C3D4E5F6; shot unknown-ar unknown
	k_do key Escape                  # after an outcome: the kiosk's language again
	k_touch lang:2 >/dev/null
	k_do key r;            shot roster-ar roster
	k_do key Escape
	k_touch lang:0 >/dev/null
	k_do card 04000000000001; shot welcome-ar welcome
	k_do card 04000000000002; shot welcome-nl welcome
	k_do card 04000000000003; shot welcome-tr welcome
	k_do card 04000000000004; shot welcome-en welcome
	k_do card 04000000000005; shot welcome-volunteer welcome
	k_do card 04000000000002; shot already already
	k_do card 04000000000001; shot already-ar already
	k_do key Escape
	k_do key p;            shot pin pin
	k_do key 2; k_do key 5; shot pin-typing pin
	k_do key Return;       shot pin-wrong pin
	k_do key Escape
	k_do card 04A1B2C3D4E5F6; shot unknown unknown
	k_touch guest:0 >/dev/null;  shot guest guest
	k_touch guest_ok:0 >/dev/null; shot welcome-guest welcome
	k_do card 08A1B2C3;    shot unknown-random unknown
	k_do key Escape
	k_do key r;            shot roster roster
	# rows that do not fit are on the next page ("Meer"), then "Vanaf het begin"
	local more
	more=$(grep '^targets' "$OUT/$K_NAME.out" | tail -n1 | tr ' ' '\n' | grep -o '^roster:[1-9][0-9]*' | head -n1)
	[ "$p" = 800x480 ] && t_check "$p: the demo's week needs a second roster page here" test -n "$more"
	if [ -n "$more" ]; then
		k_touch "$more" >/dev/null; shot roster-more roster
		t_check "$p: the roster's next page offers the way back to the start" k_has roster:0
	fi
	k_do key Escape
	# several open sessions, enrolled in none: the person chooses
	sql "$db" "UPDATE credentials SET person_id='p14' WHERE person_id='p07' AND kind=0"
	k_do card 04000000000007; shot choose choose
	k_touch choose:0 >/dev/null; shot welcome-chosen welcome
	# the store refuses the write
	sql "$db" "CREATE TRIGGER t_refuse BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'test'); END;"
	k_do card 04000000000009; shot message message
	sql "$db" "DROP TRIGGER t_refuse;"
	k_do key Escape
	# coordinator mode
	k_do card 04000000000008; shot coord-menu coordinator
	k_touch coord:1 >/dev/null; shot coord-headcount coordinator
	k_touch coord:0 >/dev/null
	k_touch coord:5 >/dev/null; shot coord-cardno-empty coordinator
	k_do card 04000000000006; shot coord-cardno coordinator
	k_touch coord:0 >/dev/null
	k_touch coord:6 >/dev/null; shot coord-status coordinator
	k_touch coord:0 >/dev/null
	k_touch coord:2 >/dev/null; shot coord-find coordinator
	k_do key t; k_do key o; k_touch char:109 >/dev/null; shot coord-find-tom coordinator
	k_touch pick:0 >/dev/null; shot coord-link-tap coordinator
	k_do card 04000000000042; shot coord-link-done coordinator
	t_eq "$p: linking records one credential_enrolled for Tom" 1 \
		"$(sql "$db" "SELECT count(*) FROM events WHERE kind='credential_enrolled' AND person_id='p19'")"
	k_do key Escape
	k_do key p
	# lockout last: it keeps the pad locked for a minute
	for _ in 1 2 3 4 5; do k_do pin 0000; done
	shot pin-locked pin
	kiosk_stop
	# check-out: a volunteer taps again later (repeat window 0 for the test)
	kiosk_start "walk-$size-out" "$size" "$db" --set repeat_seconds=0
	k_do card 04000000000005; shot checkout checkout
	kiosk_stop
}

walk 800x480
walk 1920x1080
n=$(find "$OUT/screens" -name '*.png' | wc -l)
t_check "screenshots written ($n)" test "$n" -ge 72
cuts=$(grep -h '^text .*\(cut=1\|over=1\)' "$OUT"/walk-*.out | sed 's/.* s=//' | sort -u | head -n 5 | tr '\n' '|')
t_eq "no text cut with an ellipsis or out of its box on any screen, at 800x480 and 1920x1080" "" "$cuts"
t_check "no untranslated text" sh -c "! grep -h 'i18n: missing' '$OUT'/*.err"
t_check "no sanitizer report" sh -c "! grep -hE 'runtime error|AddressSanitizer' '$OUT'/*.err"
t_done
