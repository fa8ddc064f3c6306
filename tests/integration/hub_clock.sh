#!/usr/bin/env bash
# hub_clock.sh — the ingest cases of tests/unit/test_hub_clock.c (clock
# correction exact for mixed, cross-batch and out-of-order anchors; work per
# batch not growing with waiting events; acked_seq over gaps; 403/409) run
# against a PostgreSQL server this script starts, so both backends are held
# to the same results (the unit test alone covers SQLite), plus one drain of
# unsynchronised events over HTTP whose later anchor corrects them all.
set -u
source tests/lib.sh
source tests/integration/hub_lib/hub.sh
source tests/integration/hub_lib/pg.sh
trap 'hub_stop_all; pg_stop' EXIT
BIN=$BUILD/tests/test_hub_clock
[ -x "$BIN" ] || { t_fail "hub clock: $BIN is built" "make tests first"; exit 1; }

if ! pg_start; then
	t_fail "hub clock: postgresql starts" "see output above"
	exit 1
fi
url=$(pg_createdb presentie_clock)
if HUB_TEST_PG_URL=$url CMOCKA_MESSAGE_OUTPUT=stdout "$BIN" >"$OUT/unit.log" 2>&1; then
	t_ok "postgresql: ingest cases of test_hub_clock ($(grep -c '^\[       OK \]' "$OUT/unit.log") passed on both backends)"
else
	t_fail "postgresql: ingest cases of test_hub_clock" "$(grep -E 'FAILED|ERROR|error' "$OUT/unit.log" | head -n 5 | tr '\n' ' ')"
fi

# Over HTTP on both backends: 40 batches of 50 unsynchronised events wait,
# then one synchronised event anchors every one of them.
boot=22222222-3333-4444-8555-666666666666
for be in sqlite postgresql; do
	if [ "$be" = sqlite ]; then db="sqlite:$OUT/hub.db"; rm -f "$OUT"/hub.db*; else db=$(pg_createdb presentie_clock_http); fi
	code=$("$HUB" demo --db "$db" | tail -n 1)
	hub_start "$db" || { t_fail "$be: hub starts" "see $OUT"; continue; }
	tok=$(enrol "$code")
	ok=1
	for i in $(seq 0 39); do
		gen_batch "$OUT/u.json" $((i * 50 + 1)) 50 synced=0 wall0=1000 boot0=$((1000000000 + i * 50000000000)) \
			boot=$boot uuidbase=0193c0de person=p01 session=
		st=$(hreq POST "$HUB_URL/v1/events" "$tok" --data-binary @"$OUT/u.json")
		[ "$st" = 200 ] || ok=0
	done
	# the anchor: 2001 s of boot time, wall 2025-11-22 14:00:00 UTC
	gen_batch "$OUT/s.json" 2001 1 synced=1 wall0=1763820000000 boot0=2001000000000 boot=$boot \
		uuidbase=0193c0de person=p01 session=
	st=$(hreq POST "$HUB_URL/v1/events" "$tok" --data-binary @"$OUT/s.json")
	t_eq "$be: 2000 unsynchronised events then an anchor: all accepted, acked 2001" "1 200 2001" \
		"$ok $st $(jget 'd["acked_seq"]')"
	q="SELECT seq, t_ms, correction FROM events WHERE uuid LIKE '0193c0de%' ORDER BY seq"
	if [ "$be" = sqlite ]; then
		python3 -c 'import sqlite3, sys
for r in sqlite3.connect(sys.argv[1]).execute(sys.argv[2]): print("|".join(map(str, r)))' "$OUT/hub.db" "$q"
	else
		psql -At "$db" -c "$q"
	fi >"$OUT/$be.rows"
	t_check "$be: every waiting event corrected from the anchor, to the ms" python3 -c '
import sys
rows = [l.strip().split("|") for l in open(sys.argv[1]) if l.strip()]
assert len(rows) == 2001, len(rows)
anchor = 1763820000000
for seq, t, corr in rows:
    seq, t = int(seq), int(t)
    if seq == 2001:
        assert (t, corr) == (anchor, "no"), (seq, t, corr)
        continue
    i, k = divmod(seq - 1, 50)
    boot_ns = 1000000000 + i * 50000000000 + k * 1000 * 1000000
    want = anchor - (2001000000000 - boot_ns) // 1000000
    assert (t, corr) == (want, "yes"), (seq, t, corr, want)
' "$OUT/$be.rows"
	hub_stop_all
done
t_done
