#!/usr/bin/env bash
# kiosk_home_fit.sh — the home screen hides nobody (issue 11, finding 8): at
# the demo's busiest moment (the workshop and the open meeting running, the
# coaching later, all today: kiosk_fit.py busiest) and with long Dutch
# titles, rooms and names added (kiosk_fit.py stress), at 800x480 and
# 1920x1080, in Dutch and Arabic, the home frames the kiosk traces
# (PRESENTIE_TRACE_TEXT) over all pages of the today panel show every role
# of today with every volunteer holding it under it, every session
# still to come with its room, and no text on the screen is cut with an
# ellipsis, spills out of its box or off the screen. The pages must turn by
# themselves. Screenshots of every page go to $OUT/screens/.
set -u
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/kiosk_lib.bash"

export PRESENTIE_TRACE_TEXT=1
FIT=$(cd "$(dirname "$0")" && pwd)/kiosk_fit.py
ASSETS=$(cd "$(dirname "$0")/../../assets" && pwd)
PAGE_WAIT_S=20                # the kiosk turns a page every 8 s (APP_PAGE_MS)

# last_page: "P N" (page shown, pages) of the last traced frame
last_page() {
	grep '^frame screen=' "$OUT/$K_NAME.out" | tail -n1 |
		sed 's/.*page=\([0-9]*\)\/\([0-9]*\).*/\1 \2/'
}

# visit_pages NAME: screenshot every page of the today panel (touching it
# turns the page), at most 2N+2 steps
visit_pages() {
	local name=$1 p n i seen=" "
	k_sync
	read -r p n < <(last_page)
	for ((i = 0; i < 2 * n + 2; i++)); do
		k_shot "$name-p$p"
		[[ $seen == *" $p "* ]] || seen="$seen$p "
		[ "$(wc -w <<<"$seen")" -ge "$n" ] && break
		k_touch "page:$((p % n))" >/dev/null || break
		read -r p n < <(last_page)
	done
}

fit() {                       # fit SIZE SCENARIO
	local size=$1 sc=$2 db=$OUT/fit-$1-$2.db l lang off msg
	rm -f "$db"*
	kiosk_start "fit-$size-$sc" "$size" "$db" --demo ||
		{ t_fail "$size $sc: kiosk starts" "no answer"; return; }
	python3 "$FIT" busiest "$db" >/dev/null
	[ "$sc" = stress ] && python3 "$FIT" stress "$db"
	k_do key r
	k_do key Escape           # home again: today read anew from the store
	for l in 0:nl 2:ar; do
		lang=${l#*:}
		k_touch "lang:${l%%:*}" >/dev/null
		off=$(stat -c %s "$OUT/$K_NAME.out")
		visit_pages "$size-$sc-$lang"
		python3 "$FIT" expect "$db" "$lang" "$ASSETS" >"$OUT/expect-$size-$sc-$lang.json"
		if msg=$(python3 "$FIT" check "$OUT/$K_NAME.out" "$off" \
		    "$OUT/expect-$size-$sc-$lang.json"); then
			t_ok "$size $sc $lang: every role and volunteer of today fully on screen ($msg)"
		else
			t_fail "$size $sc $lang: every role and volunteer of today fully on screen" "$msg"
		fi
	done
	if [ "$size $sc" = "800x480 stress" ]; then
		# back home (the first page) and nobody touches it: the next page
		# comes by itself
		local p0 n0 t0 t1
		k_do key r
		k_do key Escape
		read -r p0 n0 < <(last_page)
		if [ "$n0" -gt 1 ]; then
			t0=$(date +%s%N)
			if wait_until "$PAGE_WAIT_S" sh -c \
			    "[ \"\$(grep '^frame screen=' '$OUT/$K_NAME.out' | tail -n1 | sed 's/.*page=\([0-9]*\).*/\1/')\" != $p0 ]"; then
				t1=$(date +%s%N)
				t_ok "800x480: the page turns by itself ($(( (t1 - t0) / 1000000 )) ms, $n0 pages)"
			else
				t_fail "800x480: the page turns by itself" "still page $p0 of $n0 after ${PAGE_WAIT_S}s"
			fi
		else
			t_fail "800x480: the page turns by itself" "one page holds it all?"
		fi
	fi
	kiosk_stop
	t_check "$size $sc: no sanitizer or leak report" \
		sh -c "! grep -hE 'runtime error|AddressSanitizer|LeakSanitizer' '$OUT/fit-$size-$sc.err'"
}

fit 800x480 busiest
fit 800x480 stress
fit 1920x1080 busiest
fit 1920x1080 stress
t_done
