#!/usr/bin/env bash
# hub_scale.sh — the scale-out path of issue 13 stays working: 50 kiosks and 5
# coordinators (tests/bench/scale_load.c) for 12 s through the shipped nginx
# config (TLS) to two hubs on one database, on SQLite and on PostgreSQL:
# no error, every event the hubs acked stored exactly once, both hubs used.
# The full-size figures come from tests/bench/scale_bench.sh.
set -u
source tests/lib.sh
source tests/integration/hub_lib/hub.sh
source tests/integration/hub_lib/pg.sh
source tests/integration/hub_lib/scale.sh
trap 'nginx_stop; hub_stop_all; pg_stop' EXIT
KIOSKS=50 COORDS=5 SECS=12

if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
	echo "ok - hub_scale # SKIP nginx is not installed (provisioning/deps.sh bench installs nginx-light)"
	exit 0
fi
[ -x "$SCALE_LOAD" ] || { t_fail "hub_scale" "$SCALE_LOAD missing (make tests)"; exit 1; }
ulimit -n 4096 2>/dev/null

# one NAME DB_URL QUERY_CMD...: the run and its checks; QUERY_CMD runs SQL given as $1
one() {
	local name=$1 db=$2 res acked rows once ups; shift 2
	if ! scale_seed "$db" "$KIOSKS" "$COORDS" || ! scale_hubs "$db" 2 ||
	    ! nginx_start "${SCALE_ADDRS[@]}"; then
		t_fail "$name: two hubs behind nginx start" "see $OUT"
		return
	fi
	res=$OUT/$name.txt
	if ! "$SCALE_LOAD" "https://127.0.0.1:$NGINX_PORT" "$NGINX_DIR/hub.crt" "$OUT/codes" \
	    "$OUT/coords" "$SECS" "$SCALE_PERSONS" "$OUT/$name.acked" >"$res" 2>"$OUT/$name.log"; then
		t_fail "$name: load ran" "$(tail -n 3 "$OUT/$name.log")"
	else
		t_eq "$name: $KIOSKS kiosks enrolled and $COORDS coordinators logged in, no error" \
			"push 0 pull 0 today 0 setup 0" \
			"$(awk '$1 == "kind" { printf "%s%s %s", (n++ ? " " : ""), $2, $6 }' "$res")"
		acked=$(sed -n 's/^events_acked //p' "$res")
		# 50 kiosks x 12 s / 6 s = 100 taps; allow for a slow machine, not for none
		t_check "$name: at least 80 of about 100 taps acked" test "${acked:-0}" -ge 80
		"$@" "SELECT device_id, count(*), count(DISTINCT seq), max(seq) FROM events GROUP BY device_id" \
			>"$OUT/$name.db"
		rows=$(awk '{ n += $2 } END { print n + 0 }' "$OUT/$name.db")
		once=$(awk 'NR == FNR { a[$1] = $2; next } { if ($2 != a[$1] || $3 != a[$1] || $4 != a[$1]) bad++ } END { print bad + 0 }' \
			"$OUT/$name.acked" "$OUT/$name.db")
		t_eq "$name: every acked tap stored exactly once (rows, devices off)" "$acked 0" "$rows $once"
		ups=$(awk '{ print $1 }' "$NGINX_DIR/upstream.log" | sort -u | paste -sd ' ')
		t_eq "$name: nginx sent requests to both hubs" \
			"$(printf '%s\n' "${SCALE_ADDRS[@]}" | sort | paste -sd ' ')" "$ups"
	fi
	nginx_stop
	hub_stop_all
}

sq() { sqlite3 -separator ' ' "$OUT/hub.db" "$1"; }
rm -f "$OUT/hub.db"*
one sqlite "sqlite:$OUT/hub.db" sq
if pg_start; then
	pq() { pg_as "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d presentie_scale -AtF ' ' -c "$1"; }
	one postgresql "$(pg_createdb presentie_scale)" pq
else
	t_fail "postgresql: server started" "pg_start failed"
fi
t_done
