#!/usr/bin/env bash
# dash_browser.sh — the coordinator's dashboard in headless Chromium
# (Debian's /usr/bin/chromium driven by playwright-core from npm, installed
# into tests/browser/node_modules by `npm ci`; no browser is downloaded)
# against presentie-hub on loopback, seeded with `presentie-hub demo` plus a
# second organisation. The two check-ins of the scenario come from the real
# presentie-kiosk (offscreen SDL, driven by --feed: demo cards 1 and 2) and
# reach the hub through the real agent (`presentie-sync run --once`); if
# those binaries are missing, they are sent as the agent would (POST
# /v1/events with the token of a kiosk enrolled with the demo's code).
# Runs on SQLite, then on a PostgreSQL server it starts.
# Output: $OUT/screens/*.png, $OUT/presentielijst.{pdf,csv} (PostgreSQL: $OUT/postgresql/...).
set -u
source tests/lib.sh
source tests/integration/hub_lib/hub.sh
source tests/integration/hub_lib/pg.sh
source tests/integration/kiosk_lib.bash
SINK_PID=
trap 'kiosk_stop; hub_stop_all; pg_stop; [ -n "$SINK_PID" ] && kill "$SINK_PID" 2>/dev/null' EXIT
SYNC_BIN=$BUILD/presentie-sync
FILL_BIN=$BUILD/bench/sync_fill
REAL=0
[ -x "$BUILD/presentie-kiosk" ] && [ -x "$SYNC_BIN" ] && [ -x "$FILL_BIN" ] && REAL=1

if [ ! -x /usr/bin/chromium ]; then
	t_fail "chromium installed" "run provisioning/deps.sh test (apt package chromium)"; exit 1
fi
if [ ! -f tests/browser/node_modules/playwright-core/package.json ] ||
   [ ! -f tests/browser/node_modules/axe-core/package.json ]; then
	(cd tests/browser && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund) >"$OUT/npm.log" 2>&1 ||
		{ t_fail "npm ci (playwright-core, axe-core)" "see $OUT/npm.log"; exit 1; }
fi

node tests/browser/i18n_keys.mjs || T_FAILS=$((T_FAILS + 1))

# run NAME DB_URL OUTDIR: the whole browser scenario against one database.
run() {
	local name=$1 db=$2 out=$3 code token rc n
	mkdir -p "$out"
	code=$("$HUB" demo --db "$db" 2>"$out/demo.err" | tail -n 1)
	t_check "$name: demo seeds and creates the dashboard's demo coordinator" grep -q "demo@presentie.test" "$out/demo.err"
	"$HUB" org create --db "$db" --name "Andere Stichting" --id org-other >/dev/null &&
	"$HUB" location create --db "$db" --org org-other --name "Wijkcentrum Noord" --id loc-other >/dev/null &&
	printf 'other-org-password\n' | "$HUB" coordinator create --db "$db" --org org-other --email other@presentie.test >/dev/null
	t_eq "$name: a second organisation with its own coordinator" 0 $?
	# PostgreSQL's hub has a mail server (a local aiosmtpd): Follow-up's reminder
	# is sent there; SQLite's has none: the reminder is prepared (mailto).
	local smtp=() sp=''
	if [ "$name" = postgresql ]; then
		sp=$(free_port)
		/usr/bin/python3 tests/integration/hub_lib/smtp_sink.py "$sp" "$out/mail.jsonl" >>"$out/sink.log" 2>&1 &
		SINK_PID=$!
		wait_until 20 python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1)' "$sp" ||
			t_fail "$name: smtp sink starts" "see $out/sink.log"
		smtp=(--smtp-url "smtp://127.0.0.1:$sp" --smtp-from presentie@grubbehoeve.test)
	fi
	hub_start "$db" "${smtp[@]+"${smtp[@]}"}" || { t_fail "$name: hub starts" "see $OUT/hub-*.log"; return 1; }
	t_check "$name: serve prints the dashboard URL" grep -q "dashboard at http://127.0.0.1:" "$OUT"/hub-*.log
	token=''
	if [ "$REAL" = 1 ]; then
		local kdb=$out/kiosk.db
		if "$FILL_BIN" init "$kdb" >/dev/null &&
		   "$SYNC_BIN" enrol --hub "$HUB_URL" --code "$code" --db "$kdb" --name "Kiosk hal" >>"$out/agent.log" 2>&1 &&
		   "$SYNC_BIN" run --db "$kdb" --once >>"$out/agent.log" 2>&1; then
			t_ok "$name: real kiosk store enrolled by presentie-sync, roster pulled"
		else
			t_fail "$name: kiosk store enrolment" "see $out/agent.log"
		fi
		OUT=$out kiosk_start kiosk 800x480 "$kdb" || t_fail "$name: kiosk starts" "see $out/kiosk.err"
	else
		token=$(enrol "$code")
		if [ -n "$token" ]; then t_ok "$name: demo kiosk enrolled (POST /v1/enrol)"; else t_fail "$name: demo kiosk enrolled" "no token"; fi
	fi
	rm -f "$out/tap.ready" "$out/tap.done"
	HUB_URL=$HUB_URL OUT=$out DEVICE_TOKEN=$token OTHER_EMAIL=other@presentie.test \
		OTHER_PASSWORD=other-org-password REAL_KIOSK=$REAL TAP_READY=$out/tap.ready \
		timeout 400 node tests/browser/dash.mjs >"$out/dash.out" 2>&1 &
	local node_pid=$!
	if [ "$REAL" = 1 ]; then
		# dash.mjs has Today open: tap demo cards 1 and 2 at the kiosk, then sync.
		if wait_until 300 test -f "$out/tap.ready"; then
			OUT=$out k_do card 04000000000001
			OUT=$out k_do card 04000000000002
			t_eq "$name: the kiosk recorded two check-ins" 2 \
				"$(sqlite3 -batch -noheader "$kdb" "SELECT count(*) FROM events WHERE kind = 'check_in'")"
			"$SYNC_BIN" run --db "$kdb" --once >>"$out/agent.log" 2>&1
			t_eq "$name: presentie-sync run --once delivered them" 0 $?
		else
			t_fail "$name: browser ready for the taps" "see $out/dash.out"
		fi
	fi
	wait "$node_pid"
	rc=$?
	sed "s/^\(not \)\?ok - /&$name: /" "$out/dash.out" | grep -E '^(not )?ok - '
	grep -vE '^(not )?ok - ' "$out/dash.out" | head -n 20 >&2
	[ "$REAL" = 1 ] && OUT=$out kiosk_stop
	[ "$rc" -eq 0 ] || T_FAILS=$((T_FAILS + 1))
	# newcomers registered at a kiosk: a kiosk of its own (fresh sequence numbers)
	local nctok
	nctok=$(enrol "$("$HUB" device create --db "$db" --location loc-grubbehoeve | tail -n 1)")
	HUB_URL=$HUB_URL OUT=$out NEWCOMER_TOKEN=$nctok timeout 300 node tests/browser/newcomers.mjs |
		sed "s/^\(not \)\?ok - /&$name: newcomers: /"
	[ "${PIPESTATUS[0]}" -eq 0 ] || T_FAILS=$((T_FAILS + 1))
	HUB_URL=$HUB_URL OUT=$out timeout 300 node tests/browser/naughty.mjs | sed "s/^\(not \)\?ok - /&$name: /"
	[ "${PIPESTATUS[0]}" -eq 0 ] || T_FAILS=$((T_FAILS + 1))
	HUB_URL=$HUB_URL OUT=$out timeout 300 node tests/browser/import.mjs | sed "s/^\(not \)\?ok - /&$name: /"
	[ "${PIPESTATUS[0]}" -eq 0 ] || T_FAILS=$((T_FAILS + 1))
	HUB_URL=$HUB_URL OUT=$out timeout 300 node tests/browser/passes.mjs | sed "s/^\(not \)\?ok - /&$name: /"
	[ "${PIPESTATUS[0]}" -eq 0 ] || T_FAILS=$((T_FAILS + 1))
	# every page at 1366x768 and 390x844 (check-ins at past sessions from a kiosk of its own)
	local ltok
	ltok=$(enrol "$("$HUB" device create --db "$db" --location loc-grubbehoeve | tail -n 1)")
	HUB_URL=$HUB_URL OUT=$out DEVICE_TOKEN=$ltok timeout 400 node tests/browser/layout.mjs | sed "s/^\(not \)\?ok - /&$name: /"
	[ "${PIPESTATUS[0]}" -eq 0 ] || T_FAILS=$((T_FAILS + 1))
	HUB_URL=$HUB_URL OUT=$out timeout 300 node tests/browser/bulk.mjs | sed "s/^\(not \)\?ok - /&$name: /"
	[ "${PIPESTATUS[0]}" -eq 0 ] || T_FAILS=$((T_FAILS + 1))
	HUB_URL=$HUB_URL OUT=$out timeout 300 node tests/browser/funder.mjs | sed "s/^\(not \)\?ok - /&$name: funder: /"
	[ "${PIPESTATUS[0]}" -eq 0 ] || T_FAILS=$((T_FAILS + 1))
	# presence marked by hand on the presentielijst (issue 14 point 14)
	HUB_URL=$HUB_URL OUT=$out timeout 300 node tests/browser/manual.mjs | sed "s/^\(not \)\?ok - /&$name: /"
	[ "${PIPESTATUS[0]}" -eq 0 ] || T_FAILS=$((T_FAILS + 1))
	if [ -n "$sp" ]; then
		t_eq "$name: the reminder sent from Follow-up reached the mail server" \
			"1 ['begeleider@trudo.test']" \
			"$(wc -l <"$out/mail.jsonl" 2>/dev/null | tr -d ' ') $(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["rcpt"])' "$out/mail.jsonl" 2>/dev/null)"
		kill "$SINK_PID" 2>/dev/null
		SINK_PID=
	fi
	n=$(find "$out/screens" -name '*.png' | wc -l)
	if [ "$n" -ge 20 ]; then t_ok "$name: screenshots written ($n under $out/screens)"; else t_fail "$name: screenshots" "only $n"; fi
	hub_stop_all
}

rm -f "$OUT/hub.db"*
run sqlite "sqlite:$OUT/hub.db" "$OUT"
if pg_start; then
	run postgresql "$(pg_createdb presentie_dash)" "$OUT/postgresql"
else
	t_fail "postgresql: server starts" "see output above"
fi
t_done
