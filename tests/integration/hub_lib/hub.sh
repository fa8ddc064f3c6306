# shellcheck shell=bash
# hub.sh — helpers for hub tests (sourced): start/stop a presentie-hub on a
# free loopback port, curl wrappers that print "STATUS BODY", and a batch
# generator. Needs BUILD and OUT (tests/lib.sh).
HUB=$BUILD/presentie-hub
HUB_PIDS=()

# hub_start URL [extra serve options...]: sets HUB_URL; returns 1 if it did not come up.
hub_start() {
	local db=$1; shift
	local port; port=$(free_port)
	"$HUB" serve --db "$db" --listen "127.0.0.1:$port" "$@" >>"$OUT/hub-$port.log" 2>&1 &
	HUB_PIDS+=($!)
	HUB_URL="http://127.0.0.1:$port"
	wait_until 30 curl -sf "$HUB_URL/v1/health" -o /dev/null
}

hub_stop_all() {
	local p
	for p in "${HUB_PIDS[@]+"${HUB_PIDS[@]}"}"; do kill "$p" 2>/dev/null; done
	for p in "${HUB_PIDS[@]+"${HUB_PIDS[@]}"}"; do
		for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.05; done
		kill -9 "$p" 2>/dev/null
	done
	HUB_PIDS=()
}

# hreq METHOD URL TOKEN [curl args...]: prints "STATUS" then the body in $OUT/last.body
hreq() {
	local m=$1 u=$2 tok=$3; shift 3
	local auth=()
	[ -n "$tok" ] && auth=(-H "Authorization: Bearer $tok")
	curl -s -m 30 -o "$OUT/last.body" -D "$OUT/last.headers" -w '%{http_code}' -X "$m" \
		"${auth[@]+"${auth[@]}"}" "$@" "$u"
}
body() { cat "$OUT/last.body"; }
jget() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); exec("print(" + sys.argv[2] + ")")' "$OUT/last.body" "$1"; }

# gen_batch FILE FROM COUNT [key=value...]: COUNT events seq FROM.. as JSON.
# keys: person, session, kind, boot, synced (0/1), wall0 (ms), boot0 (ns),
# step_ms, uuidbase (hex prefix, 8 chars), payload (JSON text)
# (person=ID, or a list ID,ID,...: event i is of the i-th person, round robin)
gen_batch() {
	python3 - "$@" <<'PY'
import json, sys
f, frm, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
o = dict(person="p01", session="ws-04", kind="check_in", boot="5b0e5c3e-2f7a-4d8e-9b11-0f5c3a1d2e4f",
         synced="1", wall0="1763819527000", boot0="1000000000", step_ms="1000", uuidbase="0193a1b2",
         payload="{}", role="")
for a in sys.argv[4:]:
    k, v = a.split("=", 1); o[k] = v
ev = []
for i in range(n):
    s = frm + i
    ev.append({"uuid": "%s-7c3d-7e4f-8a9b-%012x" % (o["uuidbase"], s), "seq": s, "kind": o["kind"],
               "person_id": o["person"].split(",")[i % len(o["person"].split(","))] or None, "session_id": o["session"] or None,
               "role": o["role"] or None,
               "wall_ms": int(o["wall0"]) + i * int(o["step_ms"]), "boot_id": o["boot"],
               "boottime_ns": int(o["boot0"]) + i * int(o["step_ms"]) * 1000000,
               "clock_synced": o["synced"] == "1", "payload": json.loads(o["payload"])})
json.dump({"device_seq_from": frm, "events": ev}, open(f, "w"))
PY
}

# dbq BACKEND URL SQL: run SQL on the hub's database (BACKEND sqlite or
# postgresql, URL as given to the hub), print its rows as "a|b".
dbq() {
	if [ "$1" = sqlite ]; then sqlite3 -batch -noheader "${2#sqlite:}" ".timeout 5000" "$3"
	else psql -qAt "$2" -c "$3"; fi
}

# enrol CODE: prints the token (empty on failure)
enrol() {
	local st
	st=$(hreq POST "$HUB_URL/v1/enrol" "" -d "{\"code\":\"$1\",\"name\":\"test kiosk\"}")
	[ "$st" = 200 ] && jget 'd["token"]'
}

# login EMAIL PASSWORD: prints the coordinator token
login() {
	local st
	st=$(hreq POST "$HUB_URL/v1/login" "" -d "{\"email\":\"$1\",\"password\":\"$2\"}")
	[ "$st" = 200 ] && jget 'd["token"]'
}
