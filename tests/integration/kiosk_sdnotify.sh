#!/usr/bin/env bash
# kiosk_sdnotify.sh — the kiosk speaks systemd's notify protocol, as the
# provisioning unit (Type=notify, WatchdogSec) expects: READY=1 once the first
# frame is up, then WATCHDOG=1 from the main loop at half the watchdog
# interval even while the home screen is idle. A python3 datagram socket
# stands in for systemd.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
. tests/integration/kiosk_lib.bash
SOCK=$OUT/notify.sock
LOG=$OUT/notify.log
python3 - "$SOCK" "$LOG" <<'PY' &
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1]); s.settimeout(0.2)
end = time.time() + 30
with open(sys.argv[2], "w") as log:
    while time.time() < end:
        try:
            msg = s.recv(4096).decode()
        except socket.timeout:
            continue
        log.write("%.3f %s\n" % (time.monotonic(), msg)); log.flush()
PY
LISTENER=$!
trap 'kiosk_stop; kill $LISTENER 2>/dev/null; wait $LISTENER 2>/dev/null' EXIT
wait_until 5 test -S "$SOCK" || { t_fail "notify socket" "listener did not start"; exit 1; }

# WATCHDOG_USEC=1 s (what the provisioning test uses): a ping every 0.5 s while idle.
NOTIFY_SOCKET=$SOCK WATCHDOG_USEC=1000000 kiosk_start notify 800x480 "$OUT/k.db" --demo ||
	{ t_fail "kiosk starts" "see $OUT/notify.err"; exit 1; }
t_check "READY=1 once the first frame is presented" wait_until 10 grep -q 'READY=1' "$LOG"
sleep 3.5
n=$(grep -c 'WATCHDOG=1' "$LOG")
if [ "$n" -ge 5 ]; then t_ok "idle home screen feeds the watchdog ($n pings in ~3.5 s)"
else t_fail "watchdog pings while idle" "only $n WATCHDOG=1 in ~3.5 s"; fi
gaps=$(awk '/WATCHDOG=1/ { if (p) { g = $1 - p; if (g > m) m = g } p = $1 } END { printf "%.2f", m }' "$LOG")
t_check "no gap between pings over the 1 s watchdog ($gaps s)" awk -v g="$gaps" 'BEGIN { exit !(g < 1.0) }'
t_eq "READY=1 is sent once" 1 "$(grep -c 'READY=1' "$LOG")"
kiosk_stop
t_done
