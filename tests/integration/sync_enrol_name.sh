#!/usr/bin/env bash
# sync_enrol_name.sh — the name a coordinator gives a kiosk (`presentie-hub
# device create --name X`) survives `presentie-sync enrol` without --name
# (issue 11 point 5: the agent sent the host name and the hub overwrote it),
# with the real hub and agent on SQLite and on a PostgreSQL server this
# script starts. Checked in the dashboard's device list (GET
# /v1/dash/setup): the demo's "Demo kiosk" and a kiosk created as "Kiosk
# hal" keep their names; `enrol --name "Kiosk bij de deur"` renames; a
# kiosk created without a name gets the enrolling machine's host name.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
. tests/sync_lib.sh
. tests/integration/hub_lib/pg.sh
trap 'sync_cleanup' EXIT

sync_need || exit 1
HOST=$(hostname)

# device_name TOKEN ID: the device's name in GET /v1/dash/setup.
device_name() {
	curl -s -m 10 -H "Authorization: Bearer $1" "$HUB_URL/v1/dash/setup" | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(next((x["name"] for x in d["devices"] if x["id"] == sys.argv[1]), "<no such device>"))' "$2"
}
# new_device DBURL [--name N]: device create at the demo location; prints "ID CODE".
new_device() {
	local db=$1; shift
	"$HUB_BIN" device create --db "$db" --location loc-grubbehoeve "$@" >"$OUT/device.out" 2>&1 || return 1
	printf '%s %s\n' "$(grep -o 'dev_[0-9a-f]*' "$OUT/device.out" | head -n1)" "$(tail -n1 "$OUT/device.out" | tr -d '[:space:]')"
}
# enrolled STORE CODE [--name N]: a new store enrolled with the hub; its device id.
enrolled() {
	local db=$1 code=$2; shift 2
	rm -f "$db"*
	"$FILL_BIN" init "$db" >/dev/null || return 1
	"$SYNC_BIN" enrol --hub "$HUB_URL" --code "$code" --db "$db" "$@" >>"$OUT/agent.log" 2>&1 || return 1
	store_sql "$db" "SELECT value FROM meta WHERE key = 'device_id'"
}

name_cases() {
	local B=$1 URL=$2 W=$OUT/$1 tok dev code id
	mkdir -p "$W"
	: >"$OUT/hub.log"
	if ! code=$(hub_demo "$URL") || ! hub_start "$URL"; then
		t_fail "$B: hub demo and serve" "see $OUT/hub.log"; return
	fi
	tok=$(curl -s -m 10 -d '{"email":"demo@presentie.test","password":"presentie-demo"}' "$HUB_URL/v1/login" |
	    python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
	t_check "$B: the coordinator logs in" test -n "$tok"

	dev=$(enrolled "$W/demo.db" "$code")
	t_check "$B: the demo kiosk enrols without --name ($dev)" test -n "$dev"
	t_eq "$B: the demo kiosk keeps its name" "Demo kiosk" "$(device_name "$tok" "$dev")"

	read -r id code < <(new_device "$URL" --name "Kiosk hal")
	t_eq "$B: device create --name 'Kiosk hal'" "Kiosk hal" "$(device_name "$tok" "$id")"
	dev=$(enrolled "$W/hal.db" "$code")
	t_eq "$B: enrol without --name: the same device" "$id" "$dev"
	t_eq "$B: enrol without --name keeps 'Kiosk hal' (not the host name $HOST)" "Kiosk hal" "$(device_name "$tok" "$id")"

	read -r id code < <(new_device "$URL" --name "Kiosk zaal")
	dev=$(enrolled "$W/zaal.db" "$code" --name "Kiosk bij de deur")
	t_eq "$B: enrol --name renames the kiosk" "$id Kiosk bij de deur" "$dev $(device_name "$tok" "$id")"

	read -r id code < <(new_device "$URL")
	t_eq "$B: device create without --name: no name yet" "" "$(device_name "$tok" "$id")"
	dev=$(enrolled "$W/anon.db" "$code")
	t_eq "$B: enrol without --name names an unnamed kiosk after its host" "$id $HOST" "$dev $(device_name "$tok" "$id")"
	hub_stop
}

rm -f "$OUT"/*.db*
name_cases sqlite "sqlite:$OUT/hub.db"
if sync_pg_start; then
	name_cases postgresql "$PG_URL"
else
	t_fail "postgresql: server starts" "see output above"
fi
t_done
