# shellcheck shell=bash
# kiosk_multi.bash — several real presentie-kiosk processes at once, each
# driven through its own --feed FIFO (sourced after tests/lib.sh; named
# .bash so tests/run.sh does not run it). The same protocol as
# kiosk_lib.bash (one kiosk): m_sync NAME waits until everything sent to
# that kiosk has been drawn; the kiosk prints "screen NAME" and "event KIND
# seq=N confirmed" to $OUT/NAME.out. Every wait is bounded.
# m_stop_all quits every kiosk still running (call it from the EXIT trap).

declare -A M_PID=() M_FD=() M_SEQ=()
M_RC=0   # exit status of the kiosk m_stop stopped last (for the caller)
M_BIN=$BUILD/presentie-kiosk
M_WAIT_S=30
M_LSAN_SUPP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../data" && pwd)/lsan.supp
mkdir -p "$OUT/screens"

# m_start NAME WxH DB [kiosk args...]: start kiosk NAME; 1 if it does not answer.
m_start() {
	local name=$1 size=$2 db=$3 fifo=$OUT/$1.fifo fd
	shift 3
	rm -f "$fifo"
	mkfifo "$fifo"
	exec {fd}<>"$fifo"          # read-write: never blocks, keeps the FIFO alive
	M_FD[$name]=$fd
	M_SEQ[$name]=0
	SDL_VIDEODRIVER=offscreen \
		ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=1" \
		LSAN_OPTIONS="suppressions=$M_LSAN_SUPP:print_suppressions=0" \
		"$M_BIN" --db "$db" --windowed "$size" --feed "$fifo" --set renderer=software --set sound=off "$@" \
		>"$OUT/$name.out" 2>"$OUT/$name.err" &
	M_PID[$name]=$!
	m_sync "$name"
}

m_send() { printf '%s\n' "$2" >&"${M_FD[$1]}"; }

# m_sync NAME: 0 once every line sent to NAME so far has taken effect.
m_sync() {
	local f
	M_SEQ[$1]=$(( ${M_SEQ[$1]} + 1 ))
	f=$OUT/.sync-$1-${M_SEQ[$1]}.png
	m_send "$1" "screenshot $f"
	wait_until "$M_WAIT_S" test -f "$f" || { echo "# kiosk $1 did not answer"; return 1; }
	rm -f "$f"
}

# m_do NAME LINE: send one feed line to NAME and wait for its effect.
m_do() { m_send "$1" "$2"; m_sync "$1"; }

# m_shot NAME FILE: screenshot of NAME into $OUT/screens/FILE.png
m_shot() { m_send "$1" "screenshot $OUT/screens/$2.png"; m_sync "$1"; }

# m_screen NAME: the screen NAME shows now.
m_screen() { grep '^screen ' "$OUT/$1.out" | tail -n1 | cut -d' ' -f2; }

# m_events NAME: how many events NAME confirmed.
m_events() { grep -c '^event .* confirmed' "$OUT/$1.out"; }

# m_stop NAME: quit and wait (M_WAIT_S, then kill); the exit status in M_RC.
m_stop() {
	local pid=${M_PID[$1]:-} fd=${M_FD[$1]:-}
	[ -n "$pid" ] || return 0
	m_send "$1" quit
	if ! wait_until "$M_WAIT_S" sh -c "! kill -0 $pid 2>/dev/null"; then
		kill -9 "$pid" 2>/dev/null
	fi
	wait "$pid" 2>/dev/null
	# shellcheck disable=SC2034  # read by the scripts that source this file
	M_RC=$?
	exec {fd}>&-
	unset "M_PID[$1]"
}

m_stop_all() {
	local n
	for n in "${!M_PID[@]}"; do m_stop "$n"; done
}
