#!/usr/bin/env bash
# kiosk_lang_reset.sh — a language chosen by hand is for one person (issue 14,
# finding 4: Turkish stayed on for the next person after 100 s idle). With the
# real kiosk (demo store, Dutch kiosk): Turkish chosen on the home screen
#  - stays while that person is busy (the PIN pad and back),
#  - is gone after their check-in's confirmation (the next person reads Dutch),
#  - is gone after language_idle_seconds on the home screen untouched,
# and English chosen then a card tapped goes back to Dutch after the welcome.
# The language is read from the traced home frame ("Houd je pas hier" /
# "Kartınızı buraya tutun"). Screenshots at 800x480 and 1920x1080.
set -u
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/kiosk_lib.bash"
export PRESENTIE_TRACE_TEXT=1
IDLE_S=5
NL='Houd je pas hier'
TR='Kartınızı buraya tutun'

# home_says TEXT: the last traced home frame has TEXT
home_says() {
	awk '/^frame screen=0 / { n = 0; delete t; on = 1; next } /^frame screen=/ { on = 0 }
	    on && /^text / { sub(/.* s=/, ""); t[n++] = $0 }
	    END { for (i = 0; i < n; i++) print t[i] }' "$OUT/$K_NAME.out" | grep -qF "$1"
}

walk() {
	local size=$1 db=$OUT/lang-$1.db t0 t1
	rm -f "$db"*
	kiosk_start "lang-$size" "$size" "$db" --demo --set language_idle_seconds=$IDLE_S ||
		{ t_fail "$size: kiosk starts" "see $OUT/lang-$size.err"; return; }
	t_check "$size: the kiosk starts in Dutch" home_says "$NL"
	k_touch lang:3 >/dev/null
	k_shot "lang-tr-$size"
	t_check "$size: Turkish chosen by hand" home_says "$TR"
	k_do key p
	k_do key Escape
	t_check "$size: Turkish stays while that person is busy (PIN pad and back)" home_says "$TR"
	k_do card 04000000000002                  # Daan: checks in, welcome
	t_eq "$size: the tap is confirmed" welcome "$(k_screen)"
	k_do key Escape                           # the welcome is dismissed
	k_shot "lang-after-$size"
	t_check "$size: after the confirmation the next person reads Dutch" home_says "$NL"

	k_touch lang:3 >/dev/null
	t_check "$size: Turkish chosen again" home_says "$TR"
	t0=$(date +%s%N)
	if wait_until $((IDLE_S + 15)) home_says "$NL"; then
		t1=$(date +%s%N)
		t_ok "$size: untouched, the home screen is Dutch again after $(( (t1 - t0) / 1000000 )) ms (language_idle_seconds=$IDLE_S)"
	else
		t_fail "$size: untouched, the home screen goes back to Dutch" "still Turkish after $((IDLE_S + 15)) s"
	fi
	k_touch lang:1 >/dev/null                 # English, then a card nobody has
	k_do card 04ffeeddccbbaa
	k_do key Escape
	t_check "$size: English chosen, an unknown card, then Dutch again" home_says "$NL"
	kiosk_stop
	t_check "$size: no sanitizer report" sh -c "! grep -qE 'runtime error|AddressSanitizer|LeakSanitizer' '$OUT/lang-$size.err'"
}

walk 800x480
walk 1920x1080
t_done
