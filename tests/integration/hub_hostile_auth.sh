#!/usr/bin/env bash
# hub_hostile_auth.sh — accounts and limits under attack, through the real hub
# on loopback, on SQLite and PostgreSQL: the login lockout under 60
# concurrent wrong passwords (both ways in), rate_limits keyed by a keyed
# hash and bounded under a flood of distinct keys (a locked account stays
# locked), failed logins per client address over all accounts (also
# behind a trusted proxy), rows expire, logins audited, bearer tokens revoked (logout,
# logout-all, `coordinator revoke`, an admin in the dashboard API).
# Bounded: every request has a timeout, every loop a count.
set -u
source tests/lib.sh
source tests/integration/hub_lib/hub.sh
source tests/integration/hub_lib/pg.sh
trap 'hub_stop_all; pg_stop' EXIT

BURST=tests/integration/hub_lib/burst.py
ROWS=40   # PRESENTIE_HUB_RATE_ROWS of the hub under test (per class of key)

# sql DBURL SQL: one statement on the raw database, rows as text ("|" between columns).
sql() {
	case $1 in
	sqlite:*) sqlite3 -cmd ".timeout 5000" "${1#sqlite:}" "$2" ;;
	*) psql -q -At -v ON_ERROR_STOP=1 "$1" -c "$2" ;;
	esac
}

# statuses JSON: the burst's status counts as "401:5 429:55" (sorted).
statuses() {
	python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(" ".join("%s:%d" % (k, v) for k, v in sorted(d["status"].items())))' "$1"
}

# cpu_ticks PID: user + system CPU time of a process in clock ticks.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# checked_by_cpu TICKS PER5: how many argon2id checks TICKS of the hub's CPU
# time stand for, given PER5 ticks for 5 checks (one decimal).
checked_by_cpu() { python3 -c 'import sys; print("%.1f" % (5.0 * int(sys.argv[1]) / max(1, int(sys.argv[2]))))' "$1" "$2"; }

# auth_cases NAME DBURL
auth_cases() {
	local B=$1 DB=$2 st out tok t1 t2 jar n i p a pid per5 id6
	local W=$OUT/$B
	mkdir -p "$W"
	"$HUB" demo --db "$DB" >/dev/null 2>&1
	"$HUB" org create --db "$DB" --id org-x --name "Organisatie X" >/dev/null
	for i in 1 2 3 4 5 6 7; do
		echo "right-password-$i" | "$HUB" coordinator create --db "$DB" --org org-x \
			--email "r$i@x.example" >/dev/null
	done
	PRESENTIE_HUB_RATE_ROWS=$ROWS hub_start "$DB" --threads 16 ||
		{ t_fail "$B: hub starts" "no health answer"; return; }

	# --- 3: the lockout is one atomic step (60 concurrent wrong passwords, 16 threads).
	# A 401 means "checked"; the hub's CPU time tells how many argon2id checks
	# really ran (the code before counted after checking: 401:5 429:55 all the
	# same, but 12-17 checks), calibrated with 5 concurrent checks (all
	# within the limit). CPU time of a memory-hard hash varies with the load
	# of the machine, hence the margin: fewer than 8 (5 expected).
	pid=${HUB_PIDS[-1]}
	a=$(cpu_ticks "$pid")
	python3 "$BURST" --url "$HUB_URL" --path /v1/login -n 5 -t 5 --src 127.0.2.1 \
		--body '{"email":"calibrate@x.example","password":"x{i}"}' >/dev/null
	per5=$(( $(cpu_ticks "$pid") - a ))
	for p in /v1/login /v1/session; do
		[ $p = /v1/login ] && i=1 || i=2
		a=$(cpu_ticks "$pid")
		# each race from its own address (the per-address limit is its own case)
		out=$(python3 "$BURST" --url "$HUB_URL" --path $p -n 60 -t 16 --src "127.0.2.$((i + 1))" \
			--body "{\"email\":\"R$i@X.example\",\"password\":\"wrong-{i}\"}")
		n=$(checked_by_cpu $(( $(cpu_ticks "$pid") - a )) "$per5")
		echo "# $B: $p: 60 concurrent wrong passwords: $(statuses "$out"); checks by CPU time: $n (5 checks = $per5 ticks)"
		t_eq "$B: 60 concurrent wrong passwords on $p: exactly 5 checked (401), 55 refused (429)" \
			"401:5 429:55" "$(statuses "$out")"
		t_eq "$B: $p: the hub's CPU time shows about 5 password checks, not more (< 8)" \
			1 "$(python3 -c 'import sys; print(1 if float(sys.argv[1]) < 8 else sys.argv[1])' "$n")"
	done
	st=$(hreq POST "$HUB_URL/v1/login" "" -d '{"email":"r1@x.example","password":"right-password-1"}')
	t_eq "$B: after the race the right password is refused too (429 + Retry-After)" "429 1" \
		"$st $(grep -ci '^retry-after: [0-9]' "$OUT/last.headers")"
	for p in /v1/login /v1/session; do
		[ $p = /v1/login ] && i=3 || i=4
		for _ in 1 2 3 4; do
			hreq POST "$HUB_URL$p" "" -d "{\"email\":\"r$i@x.example\",\"password\":\"nope\"}" >/dev/null
		done
		st=$(hreq POST "$HUB_URL$p" "" -d "{\"email\":\"r$i@x.example\",\"password\":\"right-password-$i\"}")
		t_eq "$B: $p: the right password after 4 wrong ones logs in" 200 "$st"
		st=$(hreq POST "$HUB_URL$p" "" -d "{\"email\":\"r$i@x.example\",\"password\":\"nope\"}")
		t_eq "$B: $p: a success forgets the failures (next wrong one is 401)" 401 "$st"
	done

	# --- 5: logins audited; no typed address of a stranger kept anywhere
	st=$(hreq POST "$HUB_URL/v1/login" "" -d '{"email":"Stranger.Typed+x@evil.example","password":"guess"}')
	t_eq "$B: an unknown address is 401 like a wrong password" 401 "$st"
	hreq POST "$HUB_URL/v1/enrol" "" -d '{"code":"AAAA-BBBB-CCCC"}' >/dev/null
	t_eq "$B: POST /v1/login writes an audit row (login, token)" 1 \
		"$(sql "$DB" "SELECT COUNT(*) FROM audit_log WHERE action = 'login' AND email = 'r3@x.example' AND detail = 'token'")"
	t_eq "$B: each race left 5 login.failed rows and one login.locked row for the account" "5 1 5 1" \
		"$(sql "$DB" "SELECT COUNT(*) FROM audit_log WHERE action = 'login.failed' AND email = 'r1@x.example' AND detail = 'token'") $(sql "$DB" "SELECT COUNT(*) FROM audit_log WHERE action = 'login.locked' AND email = 'r1@x.example'") $(sql "$DB" "SELECT COUNT(*) FROM audit_log WHERE action = 'login.failed' AND email = 'r2@x.example' AND detail = 'session'") $(sql "$DB" "SELECT COUNT(*) FROM audit_log WHERE action = 'login.locked' AND email = 'r2@x.example'")"
	t_eq "$B: the audit log holds nothing a stranger typed" 0 \
		"$(sql "$DB" "SELECT COUNT(*) FROM audit_log WHERE LOWER(email || target || detail) LIKE '%stranger%'")"
	sql "$DB" "SELECT key FROM rate_limits" >"$W/keys.txt"
	n=$(grep -cvE '^(login|loginaddr|enrol):[0-9a-f]{64}$' "$W/keys.txt")
	t_eq "$B: every rate_limits key is a keyed hash (no e-mail address, no client address)" \
		"0 0" "$n $(grep -ciE 'x\.example|stranger|127\.0\.' "$W/keys.txt")"
	t_eq "$B: the hash key is in hub_meta, not the typed text" 1 \
		"$(sql "$DB" "SELECT COUNT(*) FROM hub_meta WHERE name = 'rate_key' AND LENGTH(value) = 64")"

	# --- 4: a flood of distinct keys: the table stays within its bound, r1 stays locked
	out=$(python3 "$BURST" --url "$HUB_URL" --path /v1/enrol -n 80 -t 16 --src '127.0.1.{i}' \
		--body '{"code":"AAAA-BBBB-CCCC"}')
	echo "# $B: enrolment flood from 80 addresses: $(statuses "$out")"
	out=$(python3 "$BURST" --url "$HUB_URL" --path /v1/login -n 80 -t 16 --src '127.0.3.{i}' \
		--body '{"email":"flood-{i}@evil.example","password":"guess"}' \
		--probe-path /v1/login --probe-body '{"email":"r1@x.example","password":"right-password-1"}')
	echo "# $B: login flood of 80 addresses: $(statuses "$out")"
	t_eq "$B: during the flood the locked account stays locked (every probe 429)" "ok" \
		"$(python3 -c 'import json,sys; p=json.loads(sys.argv[1])["probe"]; print("ok" if p and set(p)=={429} else p)' "$out")"
	t_eq "$B: rate_limits stays within its bound per kind of key ($ROWS)" "1 1 1" \
		"$(sql "$DB" "SELECT CASE WHEN COUNT(*) <= $ROWS THEN 1 ELSE COUNT(*) END FROM rate_limits WHERE key LIKE 'login:%'") $(sql "$DB" "SELECT CASE WHEN COUNT(*) <= $ROWS THEN 1 ELSE COUNT(*) END FROM rate_limits WHERE key LIKE 'loginaddr:%'") $(sql "$DB" "SELECT CASE WHEN COUNT(*) <= $ROWS THEN 1 ELSE COUNT(*) END FROM rate_limits WHERE key LIKE 'enrol:%'")"
	st=$(hreq POST "$HUB_URL/v1/login" "" -d '{"email":"r7@x.example","password":"right-password-7"}')
	t_eq "$B: a new key when the table is full is refused (429 + Retry-After), not evicting" "429 1" \
		"$st $(grep -ci '^retry-after: [0-9]' "$OUT/last.headers")"

	# --- 4: rows expire (the windows are moved into the past, as if 15 minutes went by)
	sql "$DB" "UPDATE rate_limits SET window_ms = 1" >/dev/null
	st=$(hreq POST "$HUB_URL/v1/login" "" -d '{"email":"r7@x.example","password":"right-password-7"}')
	t_eq "$B: after the windows passed a new key is served" 200 "$st"
	t_eq "$B: expired rows are swept" 1 \
		"$(sql "$DB" "SELECT CASE WHEN COUNT(*) <= 1 THEN 1 ELSE COUNT(*) END FROM rate_limits")"
	st=$(hreq POST "$HUB_URL/v1/login" "" -d '{"email":"r1@x.example","password":"right-password-1"}')
	t_eq "$B: the locked account logs in once its window passed" 200 "$st"

	# --- 8: logout of a bearer token, revoke-all
	tok=$(login r5@x.example right-password-5)
	st=$(hreq GET "$HUB_URL/v1/dash/setup" "$tok")
	t_eq "$B: a coordinator token works" 200 "$st"
	st=$(hreq DELETE "$HUB_URL/v1/login" "$tok")
	t_eq "$B: DELETE /v1/login revokes the token (204)" 204 "$st"
	st=$(hreq GET "$HUB_URL/v1/dash/setup" "$tok")
	t_eq "$B: a revoked token answers 401 at once" 401 "$st"
	st=$(hreq DELETE "$HUB_URL/v1/login" "$tok")
	t_eq "$B: DELETE /v1/login with a revoked token is 401" 401 "$st"
	t1=$(login r6@x.example right-password-6)
	t2=$(login r6@x.example right-password-6)
	jar=$W/jar.txt
	rm -f "$jar"
	curl -s -m 30 -c "$jar" -o /dev/null -d '{"email":"r6@x.example","password":"right-password-6"}' "$HUB_URL/v1/session"
	st=$(curl -s -m 30 -b "$jar" -o /dev/null -w '%{http_code}' "$HUB_URL/v1/session")
	t_eq "$B: the browser session works" 200 "$st"
	st=$(hreq POST "$HUB_URL/v1/logout-all" "$t1")
	t_eq "$B: POST /v1/logout-all revokes 2 tokens and 1 session" "200 2 1" \
		"$st $(jget 'd["tokens"], d["sessions"]' | tr -d '(),')"
	st=$(hreq GET "$HUB_URL/v1/dash/setup" "$t2")
	t_eq "$B: after logout-all the other token is 401" 401 "$st"
	st=$(curl -s -m 30 -b "$jar" -o /dev/null -w '%{http_code}' "$HUB_URL/v1/session")
	t_eq "$B: after logout-all the browser session is 401" 401 "$st"
	t1=$(login r6@x.example right-password-6)
	curl -s -m 30 -c "$jar" -o /dev/null -d '{"email":"r6@x.example","password":"right-password-6"}' "$HUB_URL/v1/session"
	out=$("$HUB" coordinator revoke --db "$DB" --email R6@x.example 2>&1)
	t_eq "$B: presentie-hub coordinator revoke says what it revoked" \
		"revoked 1 tokens and 1 sessions of r6@x.example" "$out"
	st=$(hreq GET "$HUB_URL/v1/dash/setup" "$t1")
	t_eq "$B: after coordinator revoke the token is 401" 401 "$st"
	st=$(curl -s -m 30 -b "$jar" -o /dev/null -w '%{http_code}' "$HUB_URL/v1/session")
	t_eq "$B: after coordinator revoke the browser session is 401" 401 "$st"
	# the dashboard API: the coordinator themself or an admin of the organisation
	t1=$(login r6@x.example right-password-6)
	curl -s -m 30 -c "$jar" -o /dev/null -d '{"email":"r6@x.example","password":"right-password-6"}' "$HUB_URL/v1/session"
	id6=$(sql "$DB" "SELECT id FROM coordinators WHERE email = 'r6@x.example'")
	st=$(hreq POST "$HUB_URL/v1/dash/coordinators/$id6/revoke" "$(login r5@x.example right-password-5)")
	t_eq "$B: a coordinator who is no admin cannot end another's logins (403)" 403 "$st"
	st=$(hreq POST "$HUB_URL/v1/dash/coordinators/$id6/revoke" "$(login demo@presentie.test presentie-demo)")
	t_eq "$B: an admin of another organisation cannot reach the coordinator (404)" 404 "$st"
	st=$(hreq POST "$HUB_URL/v1/dash/coordinators/$id6/revoke" "$(login r1@x.example right-password-1)")
	t_eq "$B: the organisation's admin ends the coordinator's logins (1 token, 1 session)" "200 1 1" \
		"$st $(jget 'd["tokens"], d["sessions"]' | tr -d '(),')"
	st=$(hreq GET "$HUB_URL/v1/dash/setup" "$t1")
	t_eq "$B: after the admin's revoke the token is 401" 401 "$st"
	st=$(curl -s -m 30 -b "$jar" -o /dev/null -w '%{http_code}' "$HUB_URL/v1/session")
	t_eq "$B: after the admin's revoke the browser session is 401" 401 "$st"
	t_eq "$B: logout and revoke-all are audited (by the coordinator, the operator, the admin)" \
		"1 r6@x.example,operator,r1@x.example" \
		"$(sql "$DB" "SELECT COUNT(*) FROM audit_log WHERE action = 'logout' AND email = 'r5@x.example'") $(sql "$DB" "SELECT email FROM audit_log WHERE action = 'logout.all' AND target = 'r6@x.example' ORDER BY id" | paste -sd,)"
	hub_stop_all
}

rm -f "$OUT/auth.db"*
# addr_cases NAME DBURL: failed logins per client address over all accounts
# (spraying one password over many accounts), with the address taken from
# X-Forwarded-For behind a trusted proxy. A fresh hub with the default bound.
addr_cases() {
	local B=$1 DB=$2 out st i
	"$HUB" demo --db "$DB" >/dev/null 2>&1
	"$HUB" org create --db "$DB" --id org-x --name "Organisatie X" >/dev/null
	echo "right-password-s" | "$HUB" coordinator create --db "$DB" --org org-x \
		--email "s@x.example" >/dev/null
	hub_start "$DB" --threads 4 --trusted-proxy 127.0.0.1 ||
		{ t_fail "$B: hub starts" "no health answer"; return; }
	# 31 wrong passwords for 31 different addresses (none locked by its own
	# count) from one client: the first 30 are checked, the 31st is not.
	out=$(python3 "$BURST" --url "$HUB_URL" --path /v1/login -n 31 -t 1 --src 127.0.4.1 \
		--body '{"email":"spray-{i}@x.example","password":"Welkom01"}')
	t_eq "$B: 31 wrong logins from one address over 31 accounts: 30 checked, the 31st refused" \
		"401:30 429:1" "$(statuses "$out")"
	st=$(curl -s -m 10 --interface 127.0.4.1 -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
		-d '{"email":"s@x.example","password":"right-password-s"}' "$HUB_URL/v1/login")
	t_eq "$B: that address is refused even with a right password (429)" 429 "$st"
	st=$(curl -s -m 10 --interface 127.0.4.2 -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
		-d '{"email":"s@x.example","password":"right-password-s"}' "$HUB_URL/v1/login")
	t_eq "$B: another address logs in (200)" 200 "$st"
	# 29 wrong, then 5 right ones, then 1 wrong: successes do not count.
	out=$(python3 "$BURST" --url "$HUB_URL" --path /v1/login -n 29 -t 1 --src 127.0.4.3 \
		--body '{"email":"other-{i}@x.example","password":"Welkom01"}')
	for i in 1 2 3 4 5; do
		curl -s -m 10 --interface 127.0.4.3 -o /dev/null -H 'Content-Type: application/json' \
			-d '{"email":"s@x.example","password":"right-password-s"}' "$HUB_URL/v1/login"
	done
	st=$(curl -s -m 10 --interface 127.0.4.3 -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
		-d '{"email":"last@x.example","password":"Welkom01"}' "$HUB_URL/v1/login")
	t_eq "$B: successes do not count against an address (the 30th failure is still checked: 401)" 401 "$st"
	# Behind the trusted proxy (the peer is 127.0.0.1) the forwarded client counts.
	for i in $(seq 1 31); do
		st=$(curl -s -m 10 -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
			-H 'X-Forwarded-For: 203.0.113.7' \
			-d "{\"email\":\"fwd-$i@x.example\",\"password\":\"Welkom01\"}" "$HUB_URL/v1/login")
	done
	t_eq "$B: a forwarded client is limited by its own address (31st: 429)" 429 "$st"
	st=$(curl -s -m 10 -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
		-H 'X-Forwarded-For: 203.0.113.8' \
		-d '{"email":"s@x.example","password":"right-password-s"}' "$HUB_URL/v1/login")
	t_eq "$B: another forwarded client through the same proxy logs in (200)" 200 "$st"
	hub_stop_all
}

auth_cases sqlite "sqlite:$OUT/auth.db"
addr_cases sqlite "sqlite:$OUT/addr.db"
if pg_start; then
	auth_cases postgresql "$(pg_createdb presentie_auth)"
	addr_cases postgresql "$(pg_createdb presentie_addr)"
else
	t_fail "postgresql: server starts" "see output above"
fi
t_done
