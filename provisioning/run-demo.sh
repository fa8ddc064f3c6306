#!/usr/bin/env bash
# run-demo.sh — what `make run` starts: the whole local system.
#   1. presentie-hub seeded with the demo organisation (SQLite, loopback),
#   2. a kiosk store enrolled to it by presentie-sync (first pull = roster),
#   3. presentie-sync running, so a tap reaches the hub within seconds,
#   4. presentie-kiosk: with a display ($DISPLAY or $WAYLAND_DISPLAY) in an
#      800x480 window; without one on a virtual display (Xvfb), with the
#      terminal as demo card reader and a PNG of the screen written after
#      every change (its path is printed once).
#   keys: 1-9 tap demo card 0400000000000N, u a card nobody has, p PIN pad (digits, Enter),
#         h home, q quit. Quitting the kiosk (or Ctrl-C) stops all three.
# Usage: provisioning/run-demo.sh BUILD_DIR   (deps and build done by make)
# Environment: PRESENTIE_DEMO_STATE (state folder; not PRESENTIE_DEMO_DIR, which
# is the hub's demo data folder), PRESENTIE_DEMO_PORT (8080).
set -eu
BUILD=${1:-build/release}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
KIOSK=$BUILD/presentie-kiosk
HUB=$BUILD/presentie-hub
SYNC=$BUILD/presentie-sync
STATE=${PRESENTIE_DEMO_STATE:-$ROOT/build/demo}
for b in "$KIOSK" "$HUB" "$SYNC"; do
	[ -x "$b" ] || { echo "run-demo: $b is not built (run make)" >&2; exit 1; }
done
mkdir -p "$STATE"
rm -f "$STATE"/kiosk.db "$STATE"/kiosk.db-wal "$STATE"/kiosk.db-shm \
	"$STATE"/hub.db "$STATE"/hub.db-wal "$STATE"/hub.db-shm

pids=()
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
	for p in "${pids[@]+"${pids[@]}"}"; do kill "$p" 2>/dev/null || true; done
	for p in "${pids[@]+"${pids[@]}"}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
PORT=${PRESENTIE_DEMO_PORT:-8080}
while ! port_free "$PORT"; do
	PORT=$((PORT + 1))
	[ "$PORT" -lt 8180 ] || { echo "run-demo: no free port from 8080 to 8179" >&2; exit 1; }
done
HUB_DB="sqlite:$STATE/hub.db"
HUB_URL="http://127.0.0.1:$PORT"

# 1. The hub, seeded; the last line of `demo` is a kiosk enrolment code.
"$HUB" demo --db "$HUB_DB" >"$STATE/hub-demo.log" 2>&1 ||
	{ echo "run-demo: hub demo failed:" >&2; tail -n 5 "$STATE/hub-demo.log" >&2; exit 1; }
code=$(tail -n 1 "$STATE/hub-demo.log")
"$HUB" serve --db "$HUB_DB" --listen "127.0.0.1:$PORT" >"$STATE/hub.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do
	curl -s -o /dev/null -m 1 "$HUB_URL/v1/health" && break
	sleep 0.1
done
curl -s -o /dev/null -m 1 "$HUB_URL/v1/health" ||
	{ echo "run-demo: the hub did not start (see $STATE/hub.log)" >&2; exit 1; }

# 2. The kiosk's store, enrolled; the first pull brings people, cards, sessions.
"$KIOSK" --db "$STATE/kiosk.db" --assets "$ROOT/assets" --init-only >/dev/null
"$SYNC" enrol --hub "$HUB_URL" --code "$code" --db "$STATE/kiosk.db" >"$STATE/sync.log" 2>&1 ||
	{ echo "run-demo: enrolment failed (see $STATE/sync.log)" >&2; exit 1; }
"$SYNC" run --db "$STATE/kiosk.db" --once >>"$STATE/sync.log" 2>&1 ||
	{ echo "run-demo: first sync failed (see $STATE/sync.log)" >&2; exit 1; }

# 3. The agent, running.
"$SYNC" run --db "$STATE/kiosk.db" >>"$STATE/sync.log" 2>&1 &
pids+=($!)

args=(--db "$STATE/kiosk.db" --assets "$ROOT/assets" --windowed 800x480 --term-reader)

cat <<TXT
Presentie demo: hub on $HUB_URL, kiosk enrolled, sync agent running.
  Dashboard:   $HUB_URL/   (demo coordinator demo@presentie.test, password presentie-demo — demo data only)
  Attendance:  $HUB export attendance --db $HUB_DB
  Logs:        $STATE/hub.log, $STATE/sync.log
TXT
cat <<'TXT'
Presentie demo kiosk. Keys in this terminal:
  1-9  tap demo card 1-9 (1 Fatima/ar, 2 Daan/nl, 3 Emre/tr, 4 Sarah/en,
       5 and 9 catering, 6 role model, 7 Yasmin, 8 Joyce: coordinator)
  u    tap a card nobody has (the "unknown card" screen; while the open
       meeting runs it offers a guest visit and "I am new")
  p    PIN pad (then type digits and Enter; demo PINs in README)
  h    home      q or Ctrl-C  quit
TXT

if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
	set +e
	"$KIOSK" "${args[@]}"
	exit $?
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
pids+=("$xpid")
for _ in $(seq 100); do
	[ -e "/tmp/.X11-unix/X$n" ] && break
	sleep 0.1
done
[ -e "/tmp/.X11-unix/X$n" ] || { echo "run-demo: Xvfb did not start (see $STATE/xvfb.log)" >&2; exit 1; }
echo "No display found: the kiosk runs on a virtual display (Xvfb :$n)."
# The kiosk runs in the foreground so it owns the terminal; Ctrl-C reaches
# it (SDL turns SIGINT into a clean quit) and the trap stops Xvfb.
set +e
DISPLAY=":$n" "$KIOSK" "${args[@]}" --set "sound=${PRESENTIE_DEMO_SOUND:-off}" \
	--shots "$STATE"
rc=$?
exit $rc
