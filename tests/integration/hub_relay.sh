#!/usr/bin/env bash
# hub_relay.sh — the tap relay of GET /v1/changes?taps=T (sync/PROTOCOL.md
# "Taps of the other kiosks") on the real hub, on SQLite and on PostgreSQL:
# a kiosk gets the check_in/check_out/guest/drop_in events of the OTHER
# kiosks of its location with every field, never its own, never another
# location's or organisation's, never an enrolment, a tap older than 16 h or
# from a clock in the future, an erased person's or one without consent;
# without ?taps= the answer is as before; bad cursors are 400; a cursor past
# the newest event (a restored database) or older than 16 h starts afresh;
# pages are bounded and the cursor passes events it does not relay. On
# PostgreSQL: a tap committed after a later one (a smaller id seen late) is
# still relayed, because the cursor waits HUB_RELAY_SETTLE_MS.
set -u
source tests/lib.sh
source tests/integration/hub_lib/hub.sh
source tests/integration/hub_lib/pg.sh
trap 'hub_stop_all; pg_stop' EXIT

MAC=ab00000000000000000000000000000000000000000000000000000000000001

# dbq URL SQL: run SQL on the hub's database (one value per line).
dbq() {
	case $1 in
	sqlite:*) sqlite3 -batch "${1#sqlite:}" "$2" ;;
	*) psql -X -q -At -v ON_ERROR_STOP=1 "$1" -c "$2" ;;
	esac
}

# tp TOKEN TAPS [MASTER]: pull; prints the status, the answer in last.body.
tp() { hreq GET "$HUB_URL/v1/changes?cursor=${3:-}&taps=$2" "$1"; }
ntaps() { jget 'len(d.get("taps", []))'; }
# the relayed taps as "seq:kind:person:session:role", sorted (seq = uuid's tail)
tapset() {
	jget '" ".join(sorted("%d:%s:%s:%s:%s" % (int(t["uuid"][-12:], 16), t["kind"], t["person_id"],
	    t["session_id"], t["role"]) for t in d["taps"]))'
}

# push TOKEN FROM COUNT key=value...: gen_batch + POST; prints the status.
push() {
	local tok=$1; shift
	gen_batch "$W/batch.json" "$@"
	hreq POST "$HUB_URL/v1/events" "$tok" --data-binary @"$W/batch.json"
}

# walk TOKEN TAPS: follow "more"; prints "TAPS PAGES MAXPAGE CURSOR"
walk() {
	local tok=$1 cur=$2 n=0 pages=0 max=0 k more=True
	while [ "$more" = True ] && [ "$pages" -lt 20 ]; do
		[ "$(tp "$tok" "$cur")" = 200 ] || { echo "error"; return 1; }
		k=$(ntaps); n=$((n + k)); pages=$((pages + 1)); [ "$k" -gt "$max" ] && max=$k
		more=$(jget 'd["more"]'); cur=$(jget 'd["taps_cursor"]')
	done
	echo "$n $pages $max $cur"
}

relay_cases() {
	local B=$1 DB=$2 code tokA tokB tokC tokD tokX now cur st c2
	W=$OUT/$B
	mkdir -p "$W"
	code=$("$HUB" demo --db "$DB" 2>"$W/demo.err" | tail -n 1)
	"$HUB" location create --db "$DB" --org org-grubbehoeve --id loc-b --name "Locatie B" >/dev/null
	"$HUB" org create --db "$DB" --id org-x --name "Organisatie X" >/dev/null
	"$HUB" location create --db "$DB" --org org-x --id loc-x --name "Huis X" >/dev/null
	hub_start "$DB" || { t_fail "$B: hub starts" "no health answer"; return; }
	tokA=$(enrol "$code")
	tokB=$(enrol "$("$HUB" device create --db "$DB" --location loc-grubbehoeve | tail -n 1)")
	tokC=$(enrol "$("$HUB" device create --db "$DB" --location loc-grubbehoeve | tail -n 1)")
	tokD=$(enrol "$("$HUB" device create --db "$DB" --location loc-b | tail -n 1)")
	tokX=$(enrol "$("$HUB" device create --db "$DB" --location loc-x | tail -n 1)")
	t_eq "$B: five kiosks enrol (A, B, C at one location, D elsewhere, X in another organisation)" \
		"43 43 43 43 43" "${#tokA} ${#tokB} ${#tokC} ${#tokD} ${#tokX}"

	st=$(hreq GET "$HUB_URL/v1/changes?cursor=" "$tokB")
	t_eq "$B: without ?taps= the answer carries no taps (agents of before)" "200 False False" \
		"$st $(jget '"taps" in d, "taps_cursor" in d' | tr -d '(),')"
	st=$(tp "$tokB" 0)
	t_eq "$B: taps=0 with nothing yet: no taps, a cursor" "200 0 1" \
		"$st $(ntaps) $(jget 'int(bool(d["taps_cursor"]))')"
	cur=$(jget 'd["taps_cursor"]')

	now=$(date +%s%3N)
	push "$tokA" 1 1 kind=check_in person=p01 wall0="$now" >/dev/null
	push "$tokA" 2 1 kind=check_out person=p05 role=catering wall0="$now" >/dev/null
	push "$tokA" 3 1 kind=guest person= wall0="$now" >/dev/null
	push "$tokA" 4 1 kind=drop_in person=p03 session= wall0="$now" >/dev/null
	push "$tokA" 5 1 kind=credential_enrolled person=p02 session= payload="{\"kind\":\"card\",\"mac\":\"$MAC\"}" wall0="$now" >/dev/null
	push "$tokA" 6 1 kind=check_in person=p01 wall0=$((now - 17 * 3600 * 1000)) >/dev/null
	push "$tokA" 7 1 kind=check_in person=p01 wall0=$((now + 3600 * 1000)) >/dev/null
	push "$tokA" 8 1 kind=check_in person=p04 wall0="$now" >/dev/null
	st=$(push "$tokA" 9 1 kind=check_in person=p07 wall0="$now")
	t_eq "$B: kiosk A pushes 9 events" "200 9" "$st $(jget 'd["acked_seq"]')"
	"$HUB" erase person p04 --db "$DB" --org org-grubbehoeve >/dev/null
	dbq "$DB" "UPDATE people SET consent_ms = NULL WHERE org_id = 'org-grubbehoeve' AND id = 'p07'"

	st=$(tp "$tokB" "$cur")
	t_eq "$B: B gets A's check_in, check_out (with role), guest and drop_in, nothing else" \
		"200 1:check_in:p01:ws-04:None 2:check_out:p05:ws-04:catering 3:guest:None:ws-04:None 4:drop_in:p03:None:None" \
		"$st $(tapset)"
	t_eq "$B: a tap carries the hub's corrected time t_ms and the event's uuid" \
		"$now 0193a1b2-7c3d-7e4f-8a9b-000000000001" "$(jget 'd["taps"][0]["t_ms"], d["taps"][0]["uuid"]' | tr -d "(),'")"
	c2=$(jget 'd["taps_cursor"]')
	st=$(tp "$tokC" 0)
	t_eq "$B: C (fresh cursor) gets the same four" "200 4" "$st $(ntaps)"
	st=$(tp "$tokA" 0)
	t_eq "$B: A gets none of its own taps" "200 0" "$st $(ntaps)"
	st=$(tp "$tokD" 0)
	t_eq "$B: D at another location of the organisation gets none" "200 0" "$st $(ntaps)"
	st=$(tp "$tokX" 0)
	t_eq "$B: X of another organisation gets none" "200 0" "$st $(ntaps)"

	st=$(tp "$tokB" "$c2")
	if [ "$B" = postgresql ]; then
		t_eq "$B: within the settle window the taps come again, the cursor waits" "200 4 $c2" \
			"$st $(ntaps) $(jget 'd["taps_cursor"]')"
	else
		t_eq "$B: the next pull finds nothing new, same cursor" "200 0 $c2" \
			"$st $(ntaps) $(jget 'd["taps_cursor"]')"
	fi
	dbq "$DB" "UPDATE events SET received_ms = received_ms - 20000"
	tp "$tokB" "$c2" >/dev/null
	c2=$(jget 'd["taps_cursor"]')
	st=$(tp "$tokB" "$c2")
	t_eq "$B: once settled, the cursor passes them: nothing again" "200 0" "$st $(ntaps)"

	for bad in '1.2%00' abc 1.2.3 -1.5 1. .5 '1.2%20' "$(printf '1%.0s' $(seq 1 30)).1" 1.-2; do
		st=$(tp "$tokB" "$bad")
		[ "$st" = 400 ] || { t_fail "$B: bad tap cursor '$bad' is 400" "got $st"; break; }
	done
	[ "$st" = 400 ] && t_eq "$B: malformed tap cursors are 400 naming taps" "taps" \
		"$(jget 'd["message"].split(":")[0]')"
	st=$(tp "$tokB" "999999999.$now")
	t_eq "$B: a cursor past the newest event (restored database) starts afresh" "200 4" "$st $(ntaps)"
	st=$(tp "$tokB" "1.$((now - 17 * 3600 * 1000))")
	t_eq "$B: a cursor older than 16 h starts afresh (new issue time)" "200 4 1" \
		"$st $(ntaps) $(jget 'int(int(d["taps_cursor"].split(".")[1]) >= '"$now"')')"

	# Paging: B's own 520 events (not relayed to B) then A's 600 check-ins.
	now=$(date +%s%3N)
	push "$tokB" 1 500 kind=check_in person=p02 wall0="$now" step_ms=1 uuidbase=0193b001 >/dev/null
	push "$tokB" 501 20 kind=check_in person=p02 wall0="$now" step_ms=1 uuidbase=0193b001 >/dev/null
	push "$tokA" 10 500 kind=check_in person=p01 wall0="$now" step_ms=1 uuidbase=0193a002 >/dev/null
	st=$(push "$tokA" 510 100 kind=check_in person=p01 wall0="$now" step_ms=1 uuidbase=0193a002)
	t_eq "$B: 520 events of B and 600 more of A stored" "200 609" "$st $(jget 'd["acked_seq"]')"
	dbq "$DB" "UPDATE events SET received_ms = received_ms - 20000"
	read -r n pages max _ <<<"$(walk "$tokB" "$c2")"
	t_eq "$B: B walks A's 600 in 3 pages of at most 500 rows, passing its own 520" "600 3 480" "$n $pages $max"
	read -r n pages max _ <<<"$(walk "$tokC" "$c2")"
	t_eq "$B: C walks A's 600 and B's 520" "1120 3 500" "$n $pages $max"
	cur=$(walk "$tokB" "$c2" | cut -d' ' -f4)

	if [ "$B" = postgresql ]; then
		# A tap whose transaction holds a smaller id commits after a later tap.
		local fifo=$W/psql.in
		rm -f "$fifo"; mkfifo "$fifo"
		psql -X -q -At -v ON_ERROR_STOP=1 "$DB" <"$fifo" >"$W/psql.out" 2>&1 &
		local ppid=$!
		exec 7>"$fifo"
		now=$(date +%s%3N)
		echo "BEGIN; INSERT INTO events (uuid, device_id, seq, org_id, location_id, kind, person_id,
		  session_id, role, wall_ms, boot_id, boottime_ns, clock_synced, payload, t_ms, correction,
		  anonymised, received_ms) VALUES ('0193d000-7c3d-7e4f-8a9b-000000000001', 'dev-inflight', 1,
		  'org-grubbehoeve', 'loc-grubbehoeve', 'check_in', 'p06', 'ws-04', 'rolmodel', $now,
		  '5b0e5c3e-2f7a-4d8e-9b11-0f5c3a1d2e4f', 1, 1, '{}', $now, 'no', 0, $now); SELECT 'held';" >&7
		wait_until 10 grep -q held "$W/psql.out"
		push "$tokA" 610 1 kind=check_in person=p03 wall0="$now" uuidbase=0193a003 >/dev/null
		st=$(tp "$tokB" "$cur")
		t_eq "$B: the later tap (larger id) is relayed while the earlier one is still uncommitted" \
			"200 610:check_in:p03:ws-04:None" "$st $(tapset)"
		c2=$(jget 'd["taps_cursor"]')
		echo "COMMIT; SELECT 'committed';" >&7
		wait_until 10 grep -q committed "$W/psql.out"
		exec 7>&-
		wait "$ppid"
		st=$(tp "$tokB" "$c2")
		t_eq "$B: the earlier tap, committed late with the smaller id, still reaches B" \
			"200 1:check_in:p06:ws-04:rolmodel 610:check_in:p03:ws-04:None" "$st $(tapset)"
	fi
	hub_stop_all
}

rm -f "$OUT/hub.db"*
relay_cases sqlite "sqlite:$OUT/hub.db"
if pg_start; then
	relay_cases postgresql "$(pg_createdb presentie_relay)"
else
	t_fail "postgresql: server starts" "see output above"
fi
t_done
