#!/usr/bin/env bash
# kiosk_demo_run.sh — what `make run` starts (provisioning/run-demo.sh), for
# real, as a newcomer to the project uses it (issue 14, finding 16): it prints
# the demo logins (dashboard coordinator and password, coordinator card/PIN)
# and the keys; the key `u` taps a card nobody has and the kiosk shows the
# unknown-card screen (UI_UNKNOWN); `1` taps Fatima's card; `q`
# quits and stops the hub, the agent and Xvfb. No display: Xvfb, as on a
# server. The hub listens on loopback only.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh

UNKNOWN_SCREEN=6   # enum ui_screen in kiosk/ui/view.h: UI_UNKNOWN
WELCOME_SCREEN=1   # UI_WELCOME
command -v Xvfb >/dev/null || { t_fail "Xvfb is installed" "apt-get install xvfb"; t_done; exit; }
DEMO=$OUT/demo
FIFO=$OUT/keys.fifo
rm -rf "$DEMO" "$FIFO"
mkfifo "$FIFO"
port=$(free_port)
PRESENTIE_TRACE=1 PRESENTIE_TRACE_TEXT=1 PRESENTIE_DEMO_STATE=$DEMO PRESENTIE_DEMO_PORT=$port \
	ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" env -u DISPLAY -u WAYLAND_DISPLAY \
	bash provisioning/run-demo.sh "$BUILD" <"$FIFO" >"$OUT/run.out" 2>"$OUT/run.err" &
pid=$!
exec 3>"$FIFO"             # keep the kiosk's stdin open until we quit
trap 'exec 3>&-; kill $pid 2>/dev/null; wait $pid 2>/dev/null' EXIT

# last_screen: the screen of the last traced frame
last_screen() { grep '^frame screen=' "$OUT/run.out" | tail -n1 | sed 's/^frame screen=\([0-9]*\).*/\1/'; }

if wait_until 60 grep -q '^frame screen=0' "$OUT/run.out"; then
	t_ok "make run's script starts hub, agent and kiosk (home screen drawn)"
else
	t_fail "make run's script starts hub, agent and kiosk" "$(tail -n 5 "$OUT/run.err" | tr '\n' ' ')"
fi
t_check "it prints the dashboard's address and demo login" \
	grep -q "http://127.0.0.1:$port/.*demo@presentie.test, password presentie-demo" "$OUT/run.out"
t_check "it prints the coordinator's demo card and PIN" grep -q "8 Joyce: coordinator" "$OUT/run.out"
t_check "it prints the key for a card nobody has" grep -q '^  u    tap a card nobody has' "$OUT/run.out"
t_check "the hub answers on loopback" curl -sf -o /dev/null -m 5 "http://127.0.0.1:$port/v1/health"

printf 'u' >&3
wait_until 20 sh -c "[ \"\$(grep '^frame screen=' '$OUT/run.out' | tail -n1 | sed 's/^frame screen=\([0-9]*\).*/\1/')\" = $UNKNOWN_SCREEN ]"
t_eq "u taps a card nobody has: the unknown-card screen" $UNKNOWN_SCREEN "$(last_screen)"
t_check "the unknown-card screen says so in words" \
	sh -c "grep '^text ' '$OUT/run.out' | tail -n 12 | grep -q 'kennen we nog niet\|cannot be used\|kan niet'"
printf 'h1' >&3
wait_until 20 sh -c "[ \"\$(grep '^frame screen=' '$OUT/run.out' | tail -n1 | sed 's/^frame screen=\([0-9]*\).*/\1/')\" = $WELCOME_SCREEN ]"
t_eq "1 taps Fatima's card: welcome" $WELCOME_SCREEN "$(last_screen)"
printf 'q' >&3
if wait_until 30 sh -c "! kill -0 $pid 2>/dev/null"; then
	t_ok "q quits"
else
	t_fail "q quits" "still running"
fi
t_check "and stops the hub with it" sh -c "! curl -s -o /dev/null -m 2 http://127.0.0.1:$port/v1/health"
t_check "no sanitizer report" sh -c "! grep -qE 'runtime error|AddressSanitizer' '$OUT/run.err'"
t_done
