#!/usr/bin/env bash
# sync_kiosk.sh — the whole chain with the real kiosk: presentie-hub (demo
# organisation) -> presentie-sync enrol + pull -> presentie-kiosk driven by
# --feed taps demo card 04000000000001 -> the running presentie-sync pushes
# -> `presentie-hub export attendance` holds that check-in exactly once, and
# the kiosk's store says delivered. Also: the agent's state reaches the
# store (sync_state) while the kiosk runs.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
. tests/sync_lib.sh
. tests/integration/kiosk_lib.bash
trap 'kiosk_stop; sync_cleanup' EXIT

sync_need_kiosk || exit 1

URL="sqlite:$OUT/hub.db"
DB=$OUT/kiosk.db
sync_demo_enrolled "$URL" "$DB" || exit 1
t_ok "kiosk store enrolled, roster pulled ($(store_sql "$DB" "SELECT count(*) FROM people") people)"

agent_start "$DB"
kiosk_start kiosk 800x480 "$DB" || { t_fail "kiosk starts" "no answer (see $OUT/kiosk.err)"; exit 1; }
k_do card 04000000000001
t_eq "the tap shows welcome" welcome "$(k_screen)"
t_eq "the kiosk recorded one check_in" 1 "$(store_sql "$DB" "SELECT count(*) FROM events WHERE kind = 'check_in'")"
t_drained 20 "$DB" "the running agent delivered the tap" "delivery"
t_exactly_once "the tap is in the hub's export exactly once" "$DB" "$URL"
person=$(store_sql "$DB" "SELECT person_id FROM events WHERE kind = 'check_in'")
t_check "the export names the person of card 04000000000001 ($person)" \
    python3 -c "import json,sys; d=json.load(open(sys.argv[1], encoding='utf-8-sig')); r=d if isinstance(d, list) else next(v for v in d.values() if isinstance(v, list)); sys.exit(0 if any(x.get('person_id') == sys.argv[2] or sys.argv[2] in json.dumps(x) for x in r) else 1)" "$OUT/export.json" "$person"
# The agent tells the hub its queue (Presentie-Device-Status) for the dashboard.
t_check "the hub knows the kiosk has nothing waiting" wait_until 10 sh -c \
    "[ \"\$(sqlite3 '$OUT/hub.db' 'SELECT waiting FROM device_status')\" = 0 ]"
t_eq "sync_state: no error, nothing waiting" "1/0" \
    "$(store_sql "$DB" "SELECT (last_error IS NULL) || '/' || waiting FROM sync_state")"
kiosk_stop
t_done
