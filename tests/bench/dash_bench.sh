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
DURATION=${DASH_BENCH_SECONDS:-20}

if [ ! -f tests/browser/node_modules/playwright-core/package.json ]; then
	(cd tests/browser && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund) >&2 || exit 1
fi
command -v wrk >/dev/null || { echo "wrk missing (provisioning/deps.sh bench)" >&2; exit 1; }

rows=()
j() { python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(eval(sys.argv[2], {}, d))' "$1" "$2"; }
one() {   # one NAME DB_URL
	local name=$1 db=$2 code token seed render raw full cond sat
	code=$("$HUB" demo --db "$db" 2>/dev/null | tail -n 1) || return 1
	# First with the hub's shared Today answer turned off: every request computes.
	PRESENTIE_HUB_TODAY_CACHE=0 hub_start "$db" --threads 4 || return 1
	token=$(enrol "$code")
	seed=$(HUB_URL=$HUB_URL DEVICE_TOKEN=$token COOKIES_FILE=$OUT/cookies-$name N_COORD=20 \
		node tests/browser/bench_seed.mjs) || return 1
	echo "$name seed: $seed" >&2
	raw=$(HUB_URL=$HUB_URL COOKIES_FILE=$OUT/cookies-$name SECONDS=$DURATION PERIOD_MS=1000 ETAG=0 \
		node tests/browser/bench_api.mjs) || return 1
	echo "$name api (every answer computed): $raw" >&2
	hub_stop_all
	hub_start "$db" --threads 4 || return 1
	full=$(HUB_URL=$HUB_URL COOKIES_FILE=$OUT/cookies-$name SECONDS=$DURATION PERIOD_MS=1000 ETAG=0 \
		node tests/browser/bench_api.mjs) || return 1
	echo "$name api (no If-None-Match, shared answer): $full" >&2
	cond=$(HUB_URL=$HUB_URL COOKIES_FILE=$OUT/cookies-$name SECONDS=$DURATION PERIOD_MS=1000 ETAG=1 \
		node tests/browser/bench_api.mjs) || return 1
	echo "$name api (If-None-Match, as the page): $cond" >&2
	sat=$(COOKIES=$OUT/cookies-$name wrk -t20 -c20 -d10s --timeout 10s -s tests/bench/dash_api.lua \
		"$HUB_URL/v1/dash/today" | sed -n 's/^RESULT //p')
	echo "$name wrk (closed loop, saturation): $sat" >&2
	# Chromium last: its processes must not compete with the API figures.
	render=$(HUB_URL=$HUB_URL RUNS=7 node tests/browser/bench_render.mjs) || return 1
	echo "$name render: $render" >&2
	hub_stop_all
	rows+=("| $name | $(j "$seed" 'f"{sessions_today} sessions, {present} present"') \
| $(j "$render" 'f"{median_ms} ms (max {max_ms}, FCP {fcp_median_ms})"') \
| $(j "$raw" 'f"{p95_ms} ms (p50 {p50_ms}, {requests} req, {errors} err)"') \
| $(j "$full" 'f"{p95_ms} ms (p50 {p50_ms})"') \
| $(j "$cond" 'f"{p95_ms} ms (p50 {p50_ms}, {not_modified} of {requests} were 304)"') \
| $(sed -n 's/.*rps=\([0-9.]*\).*/\1/p' <<<"$sat") req/s, p95 $(sed -n 's/.*p95_ms=\([0-9.]*\).*/\1/p' <<<"$sat") ms |")
}

rm -f "$OUT"/hub.db*
one sqlite "sqlite:$OUT/hub.db" || echo "sqlite run failed" >&2
if pg_start; then
	one postgresql "$(pg_createdb presentie_dash_bench)" || echo "postgresql run failed" >&2
fi

echo "## Dashboard (issue 5)"
echo
echo "Today with 50 sessions and 2000 check-ins (5 programmes x 40 enrolled people, everyone present;"
echo "tests/bench/dash_bench.sh). First render: headless Chromium, navigation until all session cards"
echo "are drawn, median of 7 loads. API: GET /v1/dash/today for 20 coordinators with their own"
echo "sessions, each asking once a second (10x the page's refresh) for ${DURATION} s, open loop:"
echo "every answer computed (PRESENTIE_HUB_TODAY_CACHE=0); without If-None-Match but with the hub's"
echo "answer shared by an organisation's coordinators while its data is unchanged (the default); with"
echo "If-None-Match as the page polls. Last column: wrk, 20 connections back to back (saturation, not"
echo "a usage pattern). 4 hub threads; the machine is shared with other work, so figures vary."
echo "Budget: page <= 1000 ms, API p95 <= 50 ms."
echo
echo "| database | data | Today first render | API p95, each answer computed | API p95, shared answer | API p95, as the page polls | wrk saturation |"
echo "|---|---|---|---|---|---|---|"
for r in "${rows[@]+"${rows[@]}"}"; do echo "$r"; done
echo
[ "${#rows[@]}" -eq 2 ]
