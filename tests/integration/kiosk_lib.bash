# kiosk_lib.bash — helpers for the kiosk_*.sh tests (sourced after tests/lib.sh;
# named .bash so tests/run.sh does not run it as a test).
# Drives the real presentie-kiosk binary on SDL's offscreen driver through
# --feed on a FIFO: k_send writes a line, k_sync waits until everything sent
# so far has been drawn (a screenshot request is answered only after the
# previous lines' effects are on screen). With --feed the kiosk prints
# "screen NAME", "event KIND seq=N confirmed" and "targets name:arg@x,y ..."
# (the centres of the touch targets of each frame), so a test can touch a
# button by name. Every wait is bounded.

K_PID=""
K_SEQ=0
# A test may run the kiosk under a wrapper (valgrind), another binary, and
# with longer waits: set these after sourcing this file.
K_WRAP=()
K_BIN=$BUILD/presentie-kiosk
K_WAIT_S=20
# The chime's ALSA device (kiosk/sound.h): silent unless a test sets it, e.g.
# to file:FILE=PATH (alsa-lib's file plugin writes the samples there).
K_SOUND=off
# SDL's video driver: offscreen needs no display (but polls: SDL waits for
# events in 1 ms steps); x11 with DISPLAY for tests that measure sleeping.
K_VIDEO=offscreen
# The kiosk runs with LeakSanitizer on (lib.sh turns it off for the other
# programs): a leak at quit is a report in NAME.err, which every kiosk test
# greps for. tests/data/lsan.supp is for system libraries only.
K_LSAN_SUPP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../data" && pwd)/lsan.supp
mkdir -p "$OUT/screens"

# kiosk_start NAME WxH DB [args...]
kiosk_start() {
	K_NAME=$1 K_SIZE=$2 K_DB=$3
	shift 3
	K_FIFO=$OUT/$K_NAME.fifo
	rm -f "$K_FIFO"
	mkfifo "$K_FIFO"
	exec 3<>"$K_FIFO"          # read-write: never blocks, keeps the FIFO alive
	SDL_VIDEODRIVER=$K_VIDEO \
		ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=1" \
		LSAN_OPTIONS="suppressions=$K_LSAN_SUPP:print_suppressions=0" \
		"${K_WRAP[@]}" "$K_BIN" --db "$K_DB" --windowed "$K_SIZE" \
		--feed "$K_FIFO" --set renderer=software --set "sound=$K_SOUND" "$@" \
		>"$OUT/$K_NAME.out" 2>"$OUT/$K_NAME.err" &
	K_PID=$!
	k_sync
}

k_send() { printf '%s\n' "$*" >&3; }

# k_sync: 0 once every line sent so far has taken effect (K_WAIT_S at most).
k_sync() {
	local f
	K_SEQ=$((K_SEQ + 1))
	f=$OUT/.sync-$K_NAME-$K_SEQ.png
	k_send "screenshot $f"
	wait_until "$K_WAIT_S" test -f "$f" || { echo "# kiosk did not answer (line $K_SEQ)"; return 1; }
	rm -f "$f"
}

# k_shot NAME: screenshot into $OUT/screens/NAME.png
k_shot() {
	k_send "screenshot $OUT/screens/$1.png"
	k_sync
}

# k_screen: the screen shown now
k_screen() { grep '^screen ' "$OUT/$K_NAME.out" | tail -n1 | cut -d' ' -f2; }

# k_target NAME:ARG -> "x y" of that target on the last frame, or nothing
k_target() {
	grep '^targets' "$OUT/$K_NAME.out" | tail -n1 | tr ' ' '\n' |
		grep -m1 "^$1@" | sed 's/.*@//; s/,/ /'
}

# k_touch NAME:ARG: touch that target; 1 if it is not on screen
k_touch() {
	local xy
	k_sync || return 1
	xy=$(k_target "$1")
	[ -n "$xy" ] || { echo "# no target $1 on screen $(k_screen)"; return 1; }
	k_send "touch $xy"
	k_sync
}

# k_do LINE: send one feed line and wait for its effect
k_do() { k_send "$*"; k_sync; }

# k_events: how many "event ... confirmed" lines the kiosk printed
k_events() { grep -c '^event .* confirmed' "$OUT/$K_NAME.out"; }
# k_events_above N: 0 once more than N events were confirmed
k_events_above() { [ "$(k_events)" -gt "$1" ]; }
# k_has NAME:ARG: 0 if that target is on the last frame
k_has() { [ -n "$(k_target "$1")" ]; }

# kiosk_stop: quit and wait (K_WAIT_S, at least 10 s, then kill)
kiosk_stop() {
	[ -n "$K_PID" ] || return 0
	k_send quit
	if ! wait_until $((K_WAIT_S > 10 ? K_WAIT_S : 10)) sh -c "! kill -0 $K_PID 2>/dev/null"; then
		kill -9 "$K_PID" 2>/dev/null
	fi
	wait "$K_PID" 2>/dev/null
	K_RC=$?
	exec 3>&-
	K_PID=""
	return 0
}

# sql DB QUERY
sql() { sqlite3 -batch -noheader "$1" "$2"; }

trap '[ -n "$K_PID" ] && kill -9 "$K_PID" 2>/dev/null' EXIT
