#!/usr/bin/env bash
# run-demo.sh — what `make run` starts: seed the demo organisation into a
# store of its own and open the kiosk. With a display ($DISPLAY or
# $WAYLAND_DISPLAY) in an 800x480 window; without one on a virtual display
# (Xvfb), with the terminal as demo card reader and a PNG of the screen
# written after every change (its path is printed once).
#   keys: 1-9 tap demo card 0400000000000N, p PIN pad (digits, Enter),
#         h home, q quit; Ctrl-C stops everything.
# Usage: provisioning/run-demo.sh BUILD_DIR   (deps and build done by make)
set -eu
BUILD=${1:-build/release}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
KIOSK=$BUILD/presentie-kiosk
STATE=${PRESENTIE_DEMO_DIR:-$ROOT/build/demo}
[ -x "$KIOSK" ] || { echo "run-demo: $KIOSK is not built (run make)" >&2; exit 1; }
mkdir -p "$STATE"
rm -f "$STATE"/kiosk.db "$STATE"/kiosk.db-wal "$STATE"/kiosk.db-shm
args=(--db "$STATE/kiosk.db" --demo --assets "$ROOT/assets" --windowed 800x480
	--term-reader)

cat <<'TXT'
Presentie demo kiosk. Keys in this terminal:
  1-9  tap demo card 1-9 (1 Fatima/ar, 2 Daan/nl, 3 Emre/tr, 4 Sarah/en,
       5 and 9 catering, 6 role model, 7 Yasmin, 8 Joyce: coordinator)
  p    PIN pad (then type digits and Enter; demo PINs in README)
  h    home      q or Ctrl-C  quit
TXT

if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
	exec "$KIOSK" "${args[@]}"
fi

# No display: a virtual one. Pick a free display number.
command -v Xvfb >/dev/null || { echo "run-demo: Xvfb is missing (apt-get install xvfb)" >&2; exit 1; }
n=99
while [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ]; do
	n=$((n + 1))
	[ $n -lt 200 ] || { echo "run-demo: no free X display" >&2; exit 1; }
done
# own session: Ctrl-C reaches the kiosk first; the trap stops Xvfb after it
setsid Xvfb ":$n" -screen 0 800x480x24 -nolisten tcp >"$STATE/xvfb.log" 2>&1 &
xpid=$!
trap 'kill "$xpid" 2>/dev/null || true; wait "$xpid" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
	[ -e "/tmp/.X11-unix/X$n" ] && break
	sleep 0.1
done
[ -e "/tmp/.X11-unix/X$n" ] || { echo "run-demo: Xvfb did not start (see $STATE/xvfb.log)" >&2; exit 1; }
echo "No display found: the kiosk runs on a virtual display (Xvfb :$n)."
# The kiosk runs in the foreground so it owns the terminal; Ctrl-C reaches
# it (SDL turns SIGINT into a clean quit) and the trap stops Xvfb.
set +e
DISPLAY=":$n" SDL_AUDIODRIVER=${SDL_AUDIODRIVER:-dummy} "$KIOSK" "${args[@]}" \
	--shots "$STATE"
rc=$?
exit $rc
