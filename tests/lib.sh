# shellcheck shell=bash
# lib.sh — shared helpers for the integration test scripts (sourced, not run).
# Each script reports its cases as "ok - NAME" / "not ok - NAME: WHY" lines;
# tests/run.sh counts them. Scripts get BUILD (binaries) and OUT (a folder of
# their own for logs, stores and screenshots) from the environment.
# Every wait is bounded: wait_until gives up after its timeout.

: "${BUILD:?BUILD must point at the build folder (e.g. build/asan)}"
: "${OUT:?OUT must point at the output folder of this script}"
mkdir -p "$OUT"
T_FAILS=0

t_ok()   { printf 'ok - %s\n' "$1"; }
t_fail() { printf 'not ok - %s: %s\n' "$1" "$2"; T_FAILS=$((T_FAILS + 1)); }

# t_check NAME COMMAND...: ok if the command succeeds.
t_check() {
	local name=$1; shift
	if "$@"; then t_ok "$name"; else t_fail "$name" "command failed: $*"; fi
}

# t_eq NAME EXPECTED ACTUAL
t_eq() {
	if [ "$2" = "$3" ]; then t_ok "$1"; else t_fail "$1" "expected '$2', got '$3'"; fi
}

# wait_until TIMEOUT_S COMMAND...: poll every 50 ms until it succeeds; 1 on timeout.
wait_until() {
	local limit=$1; shift
	local end=$(( $(date +%s%N) / 1000000 + limit * 1000 ))
	while ! "$@" 2>/dev/null; do
		[ $(( $(date +%s%N) / 1000000 )) -ge $end ] && return 1
		sleep 0.05
	done
	return 0
}

# A free TCP port on 127.0.0.1.
# free_port: a TCP port on 127.0.0.1 that nothing listens on now. Under
# tests/run.sh (PRESENTIE_PORT_CLAIMS set) each port is claimed with an
# atomic mkdir, so tests running at the same time never get the same one.
FREE_PORT_TRIES=50
free_port() {
	local port i
	for ((i = 0; i < FREE_PORT_TRIES; i++)); do
		port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])') || return 1
		if [ -z "${PRESENTIE_PORT_CLAIMS:-}" ] || mkdir "$PRESENTIE_PORT_CLAIMS/$port" 2>/dev/null; then
			echo "$port"
			return 0
		fi
	done
	echo "free_port: no unclaimed port after $FREE_PORT_TRIES tries" >&2
	return 1
}

# ASan: LeakSanitizer is off here by default; it is turned on per program
# where it is measured clean: the kiosk (kiosk_lib.bash, with
# tests/data/lsan.supp). kiosk_valgrind.sh checks the release build's leaks.
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

t_done() { [ "$T_FAILS" -eq 0 ]; }
