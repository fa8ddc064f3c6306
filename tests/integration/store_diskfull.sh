#!/usr/bin/env bash
# store_diskfull.sh — a kiosk store on a really full disk (issue 11 point 9):
# a small tmpfs is mounted (root only; otherwise one clear skip line), an
# enrolled store with queued check-ins is put on it, and the disk is filled.
# The real presentie-kiosk and presentie-sync (run --once, status, and the
# service) must then say that the disk is full and how much is free (not
# "damaged", not "not in WAL mode"), exit 1, and keep every recorded event:
# after space is freed the kiosk starts, the waiting service delivers, and
# each check-in is in the hub's export exactly once. The hub (SQLite, off the
# tmpfs) is only the receiver here; the store is SQLite on every kiosk.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
. tests/sync_lib.sh

MNT=$OUT/disk
DISK_KB=4096          # the tmpfs: room for the store, nothing more
FILL_EVENTS=5
mounted=0
cleanup() {
	agent_stop
	hub_stop
	if [ "$mounted" = 1 ]; then
		for _ in $(seq 1 50); do umount "$MNT" 2>/dev/null && break; sleep 0.1; done
	fi
}
trap cleanup EXIT

sync_need || exit 1
[ -x "$BUILD/presentie-kiosk" ] || { t_fail "kiosk" "$BUILD/presentie-kiosk is missing"; exit 1; }
mkdir -p "$MNT"
if ! mount -t tmpfs -o "size=${DISK_KB}k,mode=0755" tmpfs "$MNT" 2>"$OUT/mount.err"; then
	echo "ok - store_diskfull # SKIP cannot mount a tmpfs (needs root): $(head -c 200 "$OUT/mount.err")"
	exit 0
fi
mounted=1
DB=$MNT/kiosk.db

sync_demo_enrolled "sqlite:$OUT/hub.db" "$DB" || exit 1
"$FILL_BIN" add "$DB" "$FILL_EVENTS" >/dev/null || { t_fail "queue check-ins" "sync_fill add failed"; exit 1; }
uuids_before=$(store_sql "$DB" "SELECT group_concat(uuid, ',') FROM (SELECT uuid FROM events ORDER BY seq)")
t_eq "the store holds $FILL_EVENTS undelivered check-ins" "$FILL_EVENTS" "$(store_pending "$DB")"

# Fill the disk: dd stops at ENOSPC (bounded by the tmpfs size).
dd if=/dev/zero of="$MNT/filler" bs=64k count=$((DISK_KB / 64 + 1)) 2>/dev/null
avail=$(df -k --output=avail "$MNT" | tail -n 1 | tr -d ' ')
t_eq "the disk is full (df: 0 KB available)" 0 "$avail"

# full_msg FILE: the message names the full disk and the free space, and
# none of the misleading ones.
full_msg() {
	grep -q 'the disk is full: 0\.0 MB free' "$1" && grep -q 'Nothing recorded is lost' "$1" &&
		! grep -qi 'damaged\|WAL mode\|start the kiosk once' "$1"
}

SDL_VIDEODRIVER=offscreen timeout 60 "$BUILD/presentie-kiosk" --db "$DB" \
	--windowed 800x480 --set renderer=software --set sound=off >"$OUT/kiosk-full.out" 2>"$OUT/kiosk-full.err"
rc=$?
t_eq "kiosk on a full disk exits 1" 1 "$rc"
t_check "kiosk on a full disk says so: $(head -c 300 "$OUT/kiosk-full.err")" full_msg "$OUT/kiosk-full.err"

timeout 60 "$SYNC_BIN" run --once --db "$DB" >"$OUT/agent-once.out" 2>&1
rc=$?
t_eq "agent run --once on a full disk exits 1 (local problem)" 1 "$rc"
t_check "agent run --once says the disk is full: $(head -c 300 "$OUT/agent-once.out")" \
	full_msg "$OUT/agent-once.out"
timeout 60 "$SYNC_BIN" status --db "$DB" >"$OUT/agent-status.out" 2>&1
rc=$?
t_eq "agent status on a full disk exits 1" 1 "$rc"
t_check "agent status says the disk is full: $(head -c 300 "$OUT/agent-status.out")" \
	full_msg "$OUT/agent-status.out"

# The service does not give up: it says why and waits for room.
: >"$OUT/agent.log"
agent_start "$DB"
t_check "agent service on a full disk logs the full disk and waits" \
	wait_until 30 grep -q 'the disk is full: .*; waiting' "$OUT/agent.log"
t_check "agent service keeps running" kill -0 "$AGENT_PID"

# Free the space: nothing recorded is lost, the kiosk starts, the agent delivers.
rm -f "$MNT/filler"
t_eq "after freeing space the store holds the same events" "$uuids_before" \
	"$(store_sql "$DB" "SELECT group_concat(uuid, ',') FROM (SELECT uuid FROM events ORDER BY seq)")"
timeout 60 "$BUILD/presentie-kiosk" --db "$DB" --init-only >"$OUT/kiosk-free.out" 2>&1
t_eq "after freeing space the kiosk starts (exit 0)" 0 "$?"
t_drained 40 "$DB" "the waiting agent delivers all $FILL_EVENTS check-ins once there is room" "delivery after freeing space"
t_exactly_once "each check-in is in the hub's export exactly once" "$DB" "sqlite:$OUT/hub.db"
agent_stop
t_done
