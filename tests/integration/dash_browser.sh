#!/usr/bin/env bash
# dash_browser.sh — the coordinator's dashboard in headless Chromium
# (Debian's /usr/bin/chromium driven by playwright-core from npm, installed
# into tests/browser/node_modules by `npm ci`; no browser is downloaded)
# against presentie-hub on loopback, seeded with `presentie-hub demo` plus a
# second organisation. The kiosk and sync agent are not in this tree yet, so
# check-ins reach the hub as the agent would send them: POST /v1/events with
# the token of a kiosk enrolled with the demo's enrolment code.
# Output: $OUT/screens/*.png, $OUT/presentielijst.{pdf,csv}.
set -u
source tests/lib.sh
source tests/integration/hub_lib/hub.sh
trap 'hub_stop_all' EXIT

if [ ! -x /usr/bin/chromium ]; then
	t_fail "chromium installed" "run provisioning/deps.sh test (apt package chromium)"; exit 1
fi
if [ ! -f tests/browser/node_modules/playwright-core/package.json ] ||
   [ ! -f tests/browser/node_modules/axe-core/package.json ]; then
	(cd tests/browser && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund) >"$OUT/npm.log" 2>&1 ||
		{ t_fail "npm ci (playwright-core, axe-core)" "see $OUT/npm.log"; exit 1; }
fi

db="sqlite:$OUT/hub.db"
rm -f "$OUT/hub.db"*
code=$("$HUB" demo --db "$db" 2>"$OUT/demo.err" | tail -n 1)
t_check "demo seeds and creates the dashboard's demo coordinator" grep -q "demo@presentie.test" "$OUT/demo.err"
"$HUB" org create --db "$db" --name "Andere Stichting" --id org-other >/dev/null &&
"$HUB" location create --db "$db" --org org-other --name "Wijkcentrum Noord" --id loc-other >/dev/null &&
printf 'other-org-password\n' | "$HUB" coordinator create --db "$db" --org org-other --email other@presentie.test >/dev/null
t_eq "a second organisation with its own coordinator" 0 $?

hub_start "$db" || { t_fail "hub starts" "see $OUT/hub-*.log"; exit 1; }
t_check "serve prints the dashboard URL" grep -q "dashboard at http://127.0.0.1:" "$OUT"/hub-*.log
token=$(enrol "$code")
[ -n "$token" ] && t_ok "demo kiosk enrolled" || t_fail "demo kiosk enrolled" "no token"

HUB_URL=$HUB_URL OUT=$OUT DEVICE_TOKEN=$token OTHER_EMAIL=other@presentie.test \
	OTHER_PASSWORD=other-org-password timeout 300 node tests/browser/dash.mjs
rc=$?
[ "$rc" -eq 0 ] || T_FAILS=$((T_FAILS + 1))
n=$(find "$OUT/screens" -name '*.png' | wc -l)
[ "$n" -ge 20 ] && t_ok "screenshots written ($n under $OUT/screens)" || t_fail "screenshots" "only $n"
t_done
