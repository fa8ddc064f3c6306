#!/usr/bin/env bash
# scale_bench.sh — issue 13 point 4: 1 000 kiosks (own token, 10 taps a
# minute, a pull every 30 s) and 50 coordinators on the Today page, against
# two hubs on one PostgreSQL behind the shipped nginx config (TLS), for
# SCALE_SECONDS (300); then the next step, a third hub, for
# SCALE_NEXT_SECONDS (120). Load: build/release/bench/scale_load
# (tests/bench/scale_load.c). Checks: 0 errors, every acked event exactly once
# in PostgreSQL. Prints Markdown on stdout; exits 1 when a check fails.
set -u
source tests/lib.sh
source tests/integration/hub_lib/hub.sh
source tests/integration/hub_lib/pg.sh
source tests/integration/hub_lib/scale.sh
trap 'nginx_stop; hub_stop_all; pg_stop' EXIT
SECS=${SCALE_SECONDS:-300}
NEXT_SECS=${SCALE_NEXT_SECONDS:-120}
KIOSKS=${SCALE_KIOSKS:-1000}
COORDS=${SCALE_COORDS:-50}
ulimit -n 16384 2>/dev/null || ulimit -n 4096

rows=() cpus=() status=0
f() { sed -n "s/^$1 //p" "$2"; }                         # f KEY FILE: the rest of the line
k() { awk -v k="$1" -v f="$2" '$1 == "kind" && $2 == k { for (i = 3; i < NF; i += 2) if ($i == f) print $(i + 1) }' "$3"; }

# run_one NAME HUBS SECONDS: a fresh database, seed, hubs, nginx, load, checks.
run_one() {
	local name=$1 hubs=$2 secs=$3 db res=$OUT/$1.txt pids i pm once errs total cpu=''
	db=$(pg_createdb "scale_$name") || return 1
	scale_seed "$db" "$KIOSKS" "$COORDS" || return 1
	scale_hubs "$db" "$hubs" || return 1
	nginx_start "${SCALE_ADDRS[@]}" || return 1
	pm=$(head -n 1 "$PG_DIR/data/postmaster.pid")
	pids=''
	for i in $(seq 1 "$hubs"); do pids+="hub$i:${SCALE_HUB_PIDS[i - 1]} "; done
	SCALE_PIDS="${pids}nginx:$NGINX_PID postgres:$pm" "$SCALE_LOAD" "https://127.0.0.1:$NGINX_PORT" \
		"$NGINX_DIR/hub.crt" "$OUT/codes" "$OUT/coords" "$secs" "$SCALE_PERSONS" "$OUT/$name.acked" \
		>"$res" 2>"$OUT/$name.log" || { cat "$OUT/$name.log" >&2; return 1; }
	cat "$res" >&2
	# exactly once: per device, rows == distinct seqs == max seq == what the hub acked
	pg_as "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "scale_$name" -AtF ' ' -c \
		"SELECT device_id, count(*), count(DISTINCT seq), max(seq) FROM events GROUP BY device_id" \
		>"$OUT/$name.db" || return 1
	once=$(awk 'NR == FNR { a[$1] = $2; n++; next } { d[$1] = 1; if (!($1 in a) || $2 != a[$1] || $3 != a[$1] || $4 != a[$1]) bad++ }
		END { for (x in a) if (!(x in d) && a[x] > 0) bad++; print bad + 0 }' "$OUT/$name.acked" "$OUT/$name.db")
	total=$(f events_acked "$res")
	errs=$(( $(k push errors "$res") + $(k pull errors "$res") + $(k today errors "$res") + $(k setup errors "$res") ))
	[ "$once" = 0 ] && [ "$errs" = 0 ] || status=1
	for i in $(seq 1 "$hubs"); do cpu+="hub$i $(f "cpu hub$i" "$res") %, "; done
	rows+=("| $hubs hubs, ${secs} s | $(k push n "$res") / $(k pull n "$res") / $(k today n "$res") \
| $(k push p50 "$res") / **$(k push p95 "$res")** / $(k push p99 "$res") / $(k push max "$res") \
| $(k pull p50 "$res") / $(k pull p95 "$res") / $(k pull max "$res") \
| $(k today p50 "$res") / **$(k today p95 "$res")** / $(k today max "$res") \
| **$errs** | $total events, $once devices off |")
	cpus+=("| $hubs hubs | ${cpu}nginx $(f "cpu nginx" "$res") %, PostgreSQL $(f "cpu postgres" "$res") %, \
load generator $(f "cpu loadgen" "$res") % | $(f "cpu machine" "$res" | cut -d " " -f 1) % |")
	nginx_stop
	hub_stop_all
}

pg_start || exit 1
run_one two 2 "$SECS" || { echo "two hubs: run failed" >&2; status=1; }
run_one three 3 "$NEXT_SECS" || { echo "three hubs: run failed" >&2; status=1; }

echo "## Scale out on PostgreSQL (issue 13)"
echo
echo "$KIOSKS kiosks and $COORDS coordinators (tests/bench/scale_bench.sh, load from"
echo "tests/bench/scale_load.c: libcurl multi, one connection, token and loopback address per client)."
echo "Each kiosk taps every 6 s (+-1.5 s, 10 a minute; a tap due while a request is out goes with the"
echo "next push, as the agent batches) and pulls \`/v1/changes?cursor=&taps=\` every 30 s; each"
echo "coordinator polls \`/v1/dash/today\` every 10 s with If-None-Match (today.js). One organisation"
echo "(the demo's) with a location per 10 kiosks: its Today lists all $KIOSKS kiosks, and every tap"
echo "changes its fingerprint, so the shared answer is recomputed about once per poll (the worst case"
echo "for Today). Path: HTTPS (TLS 1.3, HTTP/2) to nginx with the shipped"
echo "provisioning/nginx/presentie-hub.conf (only ports, certificate, log paths and the upstream's"
echo "\`server\` lines changed; its per-address limits hold: every client has its own address),"
echo "round robin to the hubs (4 threads each), one PostgreSQL 15 (pg.sh: fsync off)."
echo "Open loop: a request's latency counts from when it was due. Latency in ms, p50 / p95 / p99 / max."
echo "Errors: any transport error or status other than 200 (304 for Today). Exactly once: per device,"
echo "rows = distinct seqs = max seq = the hub's acked_seq."
echo
echo "| hubs | push / pull / Today requests | push ms | pull ms (p50/p95/max) | Today ms (p50/p95/max) | errors | exactly once |"
echo "|---|---|---|---|---|---|---|"
for r in "${rows[@]+"${rows[@]}"}"; do echo "$r"; done
echo
echo "CPU during the run, % of one core (utime+stime from /proc/PID/stat; nginx and PostgreSQL"
echo "with their workers and backends). All of it shares the machine's $(nproc) cores with the load"
echo "generator and, on a shared machine, with other work (last column: the whole machine busy)."
echo
echo "| hubs | CPU per process | machine busy, % of $(( $(nproc) * 100 )) |"
echo "|---|---|---|"
for r in "${cpus[@]+"${cpus[@]}"}"; do echo "$r"; done
echo
exit $status
