#!/usr/bin/env bash
# sync_clock.sh — clock correction end to end through the real kiosk, in one
# boot: presentie-kiosk (driven by --feed) records two taps while
# "unsynchronised with a wall clock 3 days slow" (PRESENTIE_FAKE_UNSYNCED=1,
# PRESENTIE_FAKE_WALL_OFFSET_S=-259200), presentie-sync delivers them (the
# hub can only flag them uncorrectable), the kiosk restarts synchronised
# (this machine's kernel clock may itself say unsynchronised, so
# PRESENTIE_FAKE_SYNCED=1 stands in for NTP) and records one more, then once
# more unsynchronised (3 days back there is no session: the unsynced taps
# are drop-ins, the synced one a check-in; the export lists both kinds).
# After delivery the hub's export shows the first two at their true time (within a second, not 3 days off) flagged corrected,
# the synced one as is, and the last one, with no later synced anchor,
# flagged uncorrectable at its device time.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
. tests/sync_lib.sh
. tests/integration/kiosk_lib.bash
trap 'kiosk_stop; sync_cleanup' EXIT

OFFSET_S=-259200     # the wrong wall clock: 3 days slow
sync_need_kiosk || exit 1

URL="sqlite:$OUT/hub.db"
DB=$OUT/kiosk.db
sync_demo_enrolled "$URL" "$DB" || exit 1

now_ms() { date +%s%3N; }
# tap NAME CARD: one card tap; appends "card before_ms after_ms" to $OUT/taps
tap() {
	local b a
	b=$(now_ms)
	k_do card "$2"
	a=$(now_ms)
	echo "$2 $b $a" >>"$OUT/taps"
}
events() { store_sql "$DB" "SELECT count(*) FROM events WHERE kind IN ('check_in', 'drop_in', 'guest')"; }
deliver() { "$SYNC_BIN" run --db "$DB" --once >>"$OUT/agent.log" 2>&1; }
# export_json FILE: the whole attendance export (no day filter) as JSON
export_json() { "$HUB_BIN" export attendance --db "$URL" --format json >"$1" 2>>"$OUT/export.err"; }
: >"$OUT/taps"

# 1. unsynchronised, wall clock 3 days slow: two check-ins
PRESENTIE_FAKE_UNSYNCED=1 PRESENTIE_FAKE_WALL_OFFSET_S=$OFFSET_S \
	kiosk_start k1 800x480 "$DB" || { t_fail "kiosk starts (unsynced)" "see $OUT/k1.err"; exit 1; }
tap k1 04000000000001
sleep 1.2
tap k1 04000000000002
kiosk_stop
t_eq "unsynced kiosk recorded 2 events, clock_synced 0, wall clock ~3 days slow" "2 0 1" \
	"$(events) $(store_sql "$DB" "SELECT sum(clock_synced) FROM events") $(store_sql "$DB" \
	"SELECT min(wall_ms) < $(now_ms) - 259000000 AND max(wall_ms) > $(now_ms) - 260000000 FROM events")"
deliver || { t_fail "delivery 1" "see $OUT/agent.log"; exit 1; }
export_json "$OUT/exp1.json"
t_eq "before any synced event the hub flags both uncorrectable" "uncorrectable uncorrectable" \
	"$(python3 -c 'import json,sys; print(" ".join(r["time_corrected"] for r in json.load(open(sys.argv[1]))))' "$OUT/exp1.json")"

# 2. the same boot, synchronised now, the real clock: one check-in (the anchor)
PRESENTIE_FAKE_SYNCED=1 kiosk_start k2 800x480 "$DB" ||
	{ t_fail "kiosk starts (synced)" "see $OUT/k2.err"; exit 1; }
tap k2 04000000000003
kiosk_stop
# 3. unsynchronised again, no synced event after it in this boot
PRESENTIE_FAKE_UNSYNCED=1 PRESENTIE_FAKE_WALL_OFFSET_S=$OFFSET_S \
	kiosk_start k3 800x480 "$DB" || { t_fail "kiosk starts (unsynced again)" "see $OUT/k3.err"; exit 1; }
tap k3 04000000000004
kiosk_stop
t_eq "the kiosk recorded 4 events, one of them synced, all of one boot" "4 1 1" \
	"$(events) $(store_sql "$DB" "SELECT sum(clock_synced) FROM events") $(store_sql "$DB" \
	"SELECT count(DISTINCT boot_id) FROM events")"
deliver || { t_fail "delivery 2" "see $OUT/agent.log"; exit 1; }
t_eq "presentie-sync delivered everything" 0 "$(store_pending "$DB")"
export_json "$OUT/exp2.json"

# One line per tap: card flag |corrected - true| in ms, where "true" is the
# kiosk's real clock at recording (its wall_ms minus the fake offset) and
# must also lie in the test's own [before, after] window of that tap.
python3 - "$DB" "$OUT/exp2.json" "$OUT/taps" "$OFFSET_S" "$OUT/hub.db" >"$OUT/verdict" <<'EOF'
import datetime, json, sqlite3, sys
db = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True)
hub = sqlite3.connect("file:%s?mode=ro" % sys.argv[5], uri=True, timeout=10)
rows = {r["event_uuid"]: r for r in json.load(open(sys.argv[2]))}
taps = [l.split() for l in open(sys.argv[3])]
off = int(sys.argv[4]) * 1000
evs = db.execute("SELECT uuid, person_id, wall_ms, clock_synced FROM events"
                 " WHERE kind IN ('check_in', 'drop_in', 'guest') ORDER BY seq").fetchall()
def ms(iso):
    return int(datetime.datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp() * 1000)
for (uuid, person, wall, synced), (card, before, after) in zip(evs, taps):
    r = rows.get(uuid)
    if r is None:
        print(card, "missing"); continue
    real = wall - (0 if synced else off)
    inwin = int(before) - 1000 <= real <= int(after) + 1000
    t = ms(r["check_in_utc"])
    dev = ms(r["device_time_utc"])
    # check_in is the same instant in local time with its offset
    same = ms(r["check_in"]) == t
    # the export has whole seconds: the hub's stored time to the ms as well
    t_ms = hub.execute("SELECT t_ms FROM events WHERE uuid = ?", (uuid,)).fetchone()[0]
    print(card, r["time_corrected"], "in-window" if inwin else "out-of-window",
          "ms=%d" % abs(t_ms - real), "dt=%d" % abs(t - real), "dev=%d" % abs(dev - wall),
          "local-ok" if same else "local-bad")
EOF
cat "$OUT/verdict"
v() { sed -n "$1p" "$OUT/verdict"; }
# ms: the hub's corrected time to the ms, < 1 s from the truth; dt: the
# export's whole seconds (truncated), so < 2 s; dev: device time as recorded
t_check "1st unsynced event: corrected, within a second of the true time" \
	grep -Eq '^04000000000001 yes in-window ms=[0-9]{1,3} dt=[0-9]{1,4} dev=[0-9]{1,4} local-ok$' <<<"$(v 1)"
t_check "2nd unsynced event: corrected, within a second of the true time" \
	grep -Eq '^04000000000002 yes in-window ms=[0-9]{1,3} dt=[0-9]{1,4} dev=[0-9]{1,4} local-ok$' <<<"$(v 2)"
t_check "the synced event keeps its own time (not corrected)" \
	grep -Eq '^04000000000003 no in-window ms=[0-9]{1,3} dt=[0-9]{1,4} dev=[0-9]{1,4} local-ok$' <<<"$(v 3)"
# uncorrectable: shown at the device time, i.e. 3 days (259 200 000 ms) off
t_check "the last unsynced event has no later anchor: uncorrectable, at device time" \
	grep -Eq '^04000000000004 uncorrectable in-window ms=2592[0-9]{5} dt=2592[0-9]{5} dev=[0-9]{1,4} local-ok$' <<<"$(v 4)"
t_done
