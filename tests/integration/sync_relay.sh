#!/usr/bin/env bash
# sync_relay.sh — two and three kiosks at one entrance (issue 11, finding 1),
# with the real hub (SQLite, then PostgreSQL), real presentie-sync agents
# and real presentie-kiosk binaries driven by --feed:
#  - two kiosks: Daan taps at A, then at B once B's store holds A's tap
#    (relayed by the hub on B's pull): B says "already", records nothing;
#  - a third kiosk C starts late and learns the taps of the last hours on its
#    first pull; Kemal (catering) checks in at A and taps at C after C's
#    repeat window (3 s here): C records the check_out of that session, and
#    the hub links it to A's check-in; Fatima taps at A, B and C: one event;
#  - link cut: B's link to the hub is down (its proxy stopped): Emre taps at
#    A then B, Sarah at B then A; each kiosk records a check-in (they cannot
#    know: the hub half counts one presence); A and C still relay to each
#    other; when B's link returns, B delivers and both sides catch up; every
#    event of the three stores is at the hub exactly once;
#  - what the hub counts: one presence per person per session in the
#    attendance export, the presentielijst and the volunteer hours.
# The relay latency (from the tap's own clock until the tap is in the other
# kiosk's store) is measured for every relayed tap and printed.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
. tests/sync_lib.sh
. tests/integration/hub_lib/pg.sh
. tests/integration/kiosk_multi.bash

declare -A APID=()
LAT=()
FATIMA=04000000000001 DAAN=04000000000002 EMRE=04000000000003 SARAH=04000000000004
KEMAL=04000000000009

# ag_start NAME DB: presentie-sync run for kiosk NAME (fast pull: the default 3 s).
ag_start() {
	"$SYNC_BIN" run --db "$2" --max-backoff 2 >>"$OUT/agent-$1.log" 2>&1 &
	APID[$1]=$!
}
ag_stop() { _pid_stop "${APID[$1]:-}"; unset "APID[$1]"; }
cleanup() {
	local n
	m_stop_all
	for n in "${!APID[@]}"; do ag_stop "$n"; done
	sync_cleanup
}
trap cleanup EXIT
sync_need_kiosk || exit 1

now_ms() { date +%s%3N; }
# own DB KIND PERSON: that kiosk's own events of a kind for a person
own() { store_sql "$1" "SELECT count(*) FROM events WHERE kind = '$2' AND person_id = '$3'"; }
last_uuid() { store_sql "$1" "SELECT uuid FROM events WHERE person_id = '$2' ORDER BY seq DESC LIMIT 1"; }
has_peer() { [ "$(store_sql "$1" "SELECT count(*) FROM peer_taps WHERE uuid = '$2'")" = 1 ]; }
# dbq URL SQL: one query on the hub's database
dbq() {
	case $1 in
	sqlite:*) sqlite3 -batch "${1#sqlite:}" "$2" ;;
	*) psql -X -q -At -v ON_ERROR_STOP=1 "$1" -c "$2" ;;
	esac
}

# past MS: the clock is at or after MS (Unix ms)
past() { [ "$(now_ms)" -ge "$1" ]; }
# linked URL IN_UUID DB OUT_UUID: DB delivered everything and the hub links
# the check-out OUT_UUID to the check-in IN_UUID
linked() {
	[ "$(store_pending "$3")" = 0 ] &&
		[ "$(dbq "$1" "SELECT out_uuid FROM events WHERE uuid = '$2'")" = "$4" ]
}

# relayed NAME FROMDB TODB PERSON [catchup]: wait (15 s at most) until
# FROMDB's latest event of PERSON is in TODB's peer_taps; ok with the
# latency, measured from the event's own wall clock, which goes into LAT
# (not for a catch-up after a link cut: that time includes the cut).
relayed() {
	local uuid wall ms
	uuid=$(last_uuid "$2" "$4")
	wall=$(store_sql "$2" "SELECT wall_ms FROM events WHERE uuid = '$uuid'")
	if [ -n "$uuid" ] && wait_until 15 has_peer "$3" "$uuid"; then
		ms=$(( $(now_ms) - wall ))
		if [ -n "${5:-}" ]; then
			t_ok "$1 ($ms ms after the tap)"
		else
			LAT+=("$ms")
			t_ok "$1 (relay latency $ms ms)"
		fi
	else
		t_fail "$1" "tap ${uuid:-none} not in $(basename "$3")'s peer_taps within 15 s"
	fi
}

# proxy_up: (re)start the fault proxy for kiosk B on PROXY_PORT.
proxy_up() {
	echo pass >"$W/mode"
	python3 tests/integration/sync_proxy.py "$PROXY_PORT" "$HUB_PORT" "$W/mode" "$W/proxy.log" \
	    >>"$W/proxy.err" 2>&1 &
	PROXY_PID=$!
	wait_until 10 curl -s -o /dev/null -m 2 "$PROXY_URL/v1/changes"
}

# counts NAME URL: what the hub makes of the three kiosks' taps (the hub
# half of finding 1): one presence per person per session in the attendance
# export, the presentielijst and the volunteer hours, with the raw taps kept.
counts() {
	local tok day
	tok=$(curl -s -m 10 -d '{"email":"demo@presentie.test","password":"presentie-demo"}' "$HUB_URL/v1/login" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
	day=$(TZ=Europe/Amsterdam date +%F)
	curl -s -m 30 -H "Authorization: Bearer $tok" "$HUB_URL/v1/export/attendance.json?from=$day&to=$day" >"$W/att.json"
	t_eq "$1: export: one row per person in ws-04 with the taps of every kiosk (Emre and Sarah at A and B, Kemal in at A out at C)" \
		"p01:1 p02:1 p03:2 p04:2 p09:2" \
		"$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(" ".join(sorted("%s:%d" % (r["person_id"], r["taps"]) for r in d if r["session_id"] == "ws-04")))' "$W/att.json")"
	t_eq "$1: export: Kemal checked out at another kiosk" "yes" \
		"$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(" ".join(r["checked_out"] for r in d if r["person_id"] == "p09"))' "$W/att.json")"
	curl -s -m 30 -H "Authorization: Bearer $tok" "$HUB_URL/v1/dash/reports/presentielijst?session=ws-04" >"$W/pl.json"
	t_eq "$1: presentielijst: 5 present, each once" "5 5 5" \
		"$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); p=[r["person_id"] for r in d["rows"] if r["present"]]; print(d["present"], len(p), len(set(p)))' "$W/pl.json")"
	curl -s -m 30 -H "Authorization: Bearer $tok" "$HUB_URL/v1/dash/reports/hours?from=$day&to=$day" >"$W/hours.json"
	t_eq "$1: hours: Kemal one shift (not two)" "1" \
		"$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(sum(r["sessions"] for r in d["rows"] if r["person_id"] == "p09"))' "$W/hours.json")"
}

relay_run() {
	local B=$1 URL=$2 code codeB codeC A Bdb C uuid wall n
	W=$OUT/$B
	mkdir -p "$W"
	A=$W/a.db Bdb=$W/b.db C=$W/c.db
	if ! code=$(hub_demo "$URL") || [ -z "$code" ]; then
		t_fail "$B: hub demo" "see $OUT/hub-demo.log"; return
	fi
	hub_start "$URL" || { t_fail "$B: hub serve" "see $OUT/hub.log"; return; }
	codeB=$("$HUB_BIN" device create --db "$URL" --location loc-grubbehoeve --name "Kiosk B" | tail -n 1)
	codeC=$("$HUB_BIN" device create --db "$URL" --location loc-grubbehoeve --name "Kiosk C" | tail -n 1)
	PROXY_PORT=$(free_port)
	PROXY_URL="http://127.0.0.1:$PROXY_PORT"
	proxy_up || { t_fail "$B: proxy" "see $W/proxy.err"; return; }
	if store_enrolled "$A" "$code" && HUB_URL=$PROXY_URL store_enrolled "$Bdb" "$codeB" &&
	    store_enrolled "$C" "$codeC"; then
		t_ok "$B: kiosks A, B (through a proxy) and C enrolled at one location, roster pulled"
	else
		t_fail "$B: enrol" "see $OUT/agent.log"; return
	fi

	# --- two kiosks
	ag_start a "$A"; ag_start b "$Bdb"
	if ! m_start a 800x480 "$A" || ! m_start b 800x480 "$Bdb"; then
		t_fail "$B: kiosks A and B start" "see $OUT/a.err $OUT/b.err"; return
	fi
	m_do a "card $DAAN"
	t_eq "$B: Daan taps at A: welcome, one check_in" "welcome 1" "$(m_screen a) $(own "$A" check_in p02)"
	relayed "$B: A's tap reaches B's store" "$A" "$Bdb" p02
	m_do b "card $DAAN"
	t_eq "$B: Daan taps at B seconds later: 'already', no event at B" "already 0 0" \
		"$(m_screen b) $(m_events b) $(store_sql "$Bdb" "SELECT count(*) FROM events")"
	[ "$B" = sqlite ] && m_shot b relay-b-already

	# --- a third kiosk, started late
	ag_start c "$C"
	m_start c 800x480 "$C" --set repeat_seconds=3 || { t_fail "$B: kiosk C starts" "see $OUT/c.err"; return; }
	uuid=$(last_uuid "$A" p02)
	if wait_until 15 has_peer "$C" "$uuid"; then
		m_do c "card $DAAN"
		t_eq "$B: C's first pull brings the taps of the last hours: Daan at C is 'already'" \
			"already 0" "$(m_screen c) $(m_events c)"
	else
		t_fail "$B: C catches up on its first pull" "Daan's tap not in C's store"
	fi
	m_do a "card $KEMAL"
	t_eq "$B: Kemal (catering) checks in at A" "welcome 1 catering" \
		"$(m_screen a) $(own "$A" check_in p09) $(store_sql "$A" "SELECT role FROM events WHERE person_id = 'p09'")"
	relayed "$B: Kemal's check-in reaches C's store" "$A" "$C" p09
	wall=$(store_sql "$A" "SELECT wall_ms FROM events WHERE person_id = 'p09'")
	wait_until 10 past $((wall + 3500))    # C's repeat window (3 s) has passed
	m_do c "card $KEMAL"
	t_eq "$B: Kemal taps at C later: check_out of that session (ws-04, catering), no check_in at C" \
		"checkout 1 0 ws-04|catering" "$(m_screen c) $(own "$C" check_out p09) $(own "$C" check_in p09) $(store_sql "$C" \
		"SELECT session_id || '|' || role FROM events WHERE person_id = 'p09'")"
	m_do a "card $FATIMA"
	relayed "$B: Fatima's tap at A reaches B" "$A" "$Bdb" p01
	relayed "$B: ... and C" "$A" "$C" p01
	m_do b "card $FATIMA"
	n=$(m_screen b)
	m_do c "card $FATIMA"
	t_eq "$B: Fatima at A, B and C: one event, 'already' at B and C" "1 already already" \
		"$(( $(own "$A" check_in p01) + $(own "$Bdb" check_in p01) + $(own "$C" check_in p01) )) $n $(m_screen c)"
	t_check "$B: C's check-out is delivered and the hub links it to A's check-in" \
		wait_until 20 linked "$URL" "$(last_uuid "$A" p09)" "$C" "$(last_uuid "$C" p09)"

	# --- link cut: B's proxy stops, B's agent keeps trying
	proxy_stop
	m_do a "card $EMRE"
	m_do b "card $EMRE"
	m_do b "card $SARAH"
	m_do a "card $SARAH"
	t_eq "$B: link cut: Emre (A then B) and Sarah (B then A) are checked in at both" "1 1 1 1" \
		"$(own "$A" check_in p03) $(own "$Bdb" check_in p03) $(own "$Bdb" check_in p04) $(own "$A" check_in p04)"
	relayed "$B: during the cut A's taps still reach C" "$A" "$C" p04
	t_eq "$B: during the cut B's taps wait at B" "2" "$(store_pending "$Bdb")"
	proxy_up || t_fail "$B: proxy restarts" "see $W/proxy.err"
	t_drained 30 "$Bdb" "$B: B's link returns: B delivers its two check-ins" "$B: B delivers after the cut"
	relayed "$B: ... B's Sarah reaches A" "$Bdb" "$A" p04 catchup
	relayed "$B: ... B's Emre reaches C" "$Bdb" "$C" p03 catchup
	uuid=$(last_uuid "$A" p03)
	t_check "$B: ... and B catches up on A's taps of the cut" wait_until 15 has_peer "$Bdb" "$uuid"
	t_drained 20 "$A" "$B: A delivered everything" "$B: A delivers"
	t_drained 20 "$C" "$B: C delivered everything" "$B: C delivers"
	for n in "$A" "$Bdb" "$C"; do store_sql "$n" "SELECT group_concat(uuid, ' ') FROM events"; done |
		tr ' ' '\n' | sed '/^$/d' | sort >"$W/kiosk-uuids"
	dbq "$URL" "SELECT uuid FROM events" | sort >"$W/hub-uuids"
	t_eq "$B: nothing lost: the hub holds every event of the three kiosks exactly once" \
		"$(wc -l <"$W/kiosk-uuids") 0" "$(sort -u "$W/hub-uuids" | wc -l) $(comm -3 "$W/kiosk-uuids" "$W/hub-uuids" | wc -l)"
	counts "$B" "$URL"
	for n in a b c; do
		m_stop "$n"
		if [ "$M_RC" != 0 ] || grep -q 'LeakSanitizer\|AddressSanitizer\|runtime error' "$OUT/$n.err"; then
			t_fail "$B: kiosk $n quits cleanly" "exit $M_RC, see $OUT/$n.err"
		fi
	done
	for n in a b c; do ag_stop "$n"; done
	proxy_stop
	hub_stop
}

relay_run sqlite "sqlite:$OUT/hub.db"
if sync_pg_start; then
	relay_run postgresql "$PG_URL"
else
	t_fail "postgresql: server starts" "see output above"
fi
if [ "${#LAT[@]}" -gt 0 ]; then
	sorted=$(printf '%s\n' "${LAT[@]}" | sort -n)
	echo "# relay latency over ${#LAT[@]} taps: min $(head -n1 <<<"$sorted") ms," \
		"median $(sed -n "$(( (${#LAT[@]} + 1) / 2 ))p" <<<"$sorted") ms, max $(tail -n1 <<<"$sorted") ms"
fi
t_done
