#!/usr/bin/env bash
# hub_api.sh — the hub's API on loopback, the same cases on SQLite and on a
# PostgreSQL server this script starts (tests/integration/hub_lib/cases.sh),
# then two hub processes on one PostgreSQL taking alternating batches.
set -u
source tests/lib.sh
source tests/integration/hub_lib/hub.sh
source tests/integration/hub_lib/pg.sh
source tests/integration/hub_lib/cases.sh
trap 'hub_stop_all; pg_stop' EXIT

rm -f "$OUT/hub.db"*
hub_cases sqlite "sqlite:$OUT/hub.db"

if pg_start; then
	url=$(pg_createdb presentie_api)
	hub_cases postgresql "$url"

	# Two hubs, one PostgreSQL, one device: alternating and concurrent batches.
	url=$(pg_createdb presentie_two)
	code=$("$HUB" demo --db "$url" | tail -n 1)
	hub_start "$url"; A=$HUB_URL
	hub_start "$url"; Bu=$HUB_URL
	HUB_URL=$A tok=$(enrol "$code")
	for i in $(seq 0 19); do gen_batch "$OUT/two-$i.json" $((i * 50 + 1)) 50 uuidbase=0193b000; done
	for i in $(seq 0 9); do   # alternating, sequential
		[ $((i % 2)) -eq 0 ] && u=$A || u=$Bu
		hreq POST "$u/v1/events" "$tok" --data-binary @"$OUT/two-$i.json" >/dev/null
	done
	pids=()
	for i in $(seq 10 19); do   # then all at once, both hubs, out of order
		[ $((i % 2)) -eq 0 ] && u=$A || u=$Bu
		curl -s -m 60 -o "$OUT/two-$i.out" -H "Authorization: Bearer $tok" \
			--data-binary @"$OUT/two-$i.json" "$u/v1/events" & pids+=($!)
	done
	for p in "${pids[@]}"; do wait "$p"; done
	for i in $(seq 0 19); do   # the agent's resend: everything again, via the other hub
		[ $((i % 2)) -eq 0 ] && u=$Bu || u=$A
		st=$(hreq POST "$u/v1/events" "$tok" --data-binary @"$OUT/two-$i.json")
	done
	t_eq "postgresql: two hubs, one device: acked_seq 1000 after resend" "200 1000 0" \
		"$st $(jget 'd["acked_seq"], d["stored"]' | tr -d '(),')"
	# every event is held once (raw events; the export counts one presence of them)
	psql -At "$url" -c "SELECT uuid FROM events ORDER BY seq" >"$OUT/two.uuids"
	t_check "postgresql: two hubs: every event exactly once, no gaps" python3 -c '
import sys
u=open(sys.argv[1]).read().split()
seqs=sorted(int(x.rsplit("-",1)[1],16) for x in u)
assert len(u)==1000 and len(set(u))==1000 and seqs==list(range(1,1001)), (len(u), len(set(u)))' "$OUT/two.uuids"
	"$HUB" export attendance --db "$url" --format json >"$OUT/two.json"
	t_eq "postgresql: two hubs: the 1000 taps are one presence in the export" "1 1000" \
		"$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d), sum(r["taps"] for r in d))' "$OUT/two.json")"
	hub_stop_all
else
	t_fail "postgresql: server starts" "see output above"
fi
t_done
