#!/usr/bin/env bash
# dash_bench.sh — the dashboard's bench (issue 5): Today with 50 sessions
# and 2000 check-ins; time to first render in headless Chromium and the API
# p95 of GET /v1/dash/today under 20 concurrent coordinators (wrk, one
# thread and connection per coordinator), on SQLite and PostgreSQL.
# Budget: page <= 1 s, API p95 <= 50 ms. Prints Markdown on stdout.
set -u
source tests/lib.sh
source tests/integration/hub_lib/hub.sh
source tests/integration/hub_lib/pg.sh
trap 'hub_stop_all; pg_stop' EXIT
DURATION=${DASH_BENCH_SECONDS:-15}

if [ ! -f tests/browser/node_modules/playwright-core/package.json ]; then
	(cd tests/browser && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund) >&2 || exit 1
fi
command -v wrk >/dev/null || { echo "wrk missing (provisioning/deps.sh bench)" >&2; exit 1; }

rows=()
one() {   # one NAME DB_URL
	local name=$1 db=$2 code token seed render api p95 med
	code=$("$HUB" demo --db "$db" 2>/dev/null | tail -n 1) || return 1
	hub_start "$db" --threads 4 || return 1
	token=$(enrol "$code")
	seed=$(HUB_URL=$HUB_URL OUT=$OUT DEVICE_TOKEN=$token COOKIES_FILE=$OUT/cookies-$name N_COORD=20 \
		node tests/browser/bench_seed.mjs) || return 1
	echo "$name seed: $seed" >&2
	render=$(HUB_URL=$HUB_URL OUT=$OUT RUNS=7 node tests/browser/bench_render.mjs) || return 1
	echo "$name render: $render" >&2
	api=$(COOKIES=$OUT/cookies-$name wrk -t20 -c20 -d"${DURATION}s" -s tests/bench/dash_api.lua \
		"$HUB_URL/v1/dash/today" | sed -n 's/^RESULT //p')
	echo "$name api: $api" >&2
	hub_stop_all
	med=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["median_ms"])' "$render")
	p95=$(sed -n 's/.*p95_ms=\([0-9.]*\).*/\1/p' <<<"$api")
	rows+=("| $name | $(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(d["sessions_today"], "sessions,", d["present"], "present")' "$seed") | $med ms (max $(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["max_ms"])' "$render") ms, FCP $(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["fcp_median_ms"])' "$render") ms) | $p95 ms | $(sed -n 's/.*rps=\([0-9.]*\).*/\1/p' <<<"$api") | $(sed -n 's/.*errors=\([0-9]*\).*/\1/p' <<<"$api") |")
}

rm -f "$OUT"/hub.db*
one sqlite "sqlite:$OUT/hub.db" || echo "sqlite run failed" >&2
if pg_start; then
	one postgresql "$(pg_createdb presentie_dash_bench)" || echo "postgresql run failed" >&2
fi

echo "## Dashboard (issue 5)"
echo
echo "Today page with 50 sessions and 2000 check-ins (tests/bench/dash_bench.sh): first render in"
echo "headless Chromium (navigation to all 50 session cards drawn, median of 7 loads), and"
echo "GET /v1/dash/today under 20 concurrent coordinators (wrk, ${DURATION} s, 4 hub threads)."
echo "Budget: page <= 1000 ms, API p95 <= 50 ms."
echo
echo "| database | data | Today first render | API p95 | requests/s | errors |"
echo "|---|---|---|---|---|---|"
for r in "${rows[@]+"${rows[@]}"}"; do echo "$r"; done
echo
[ "${#rows[@]}" -eq 2 ]
