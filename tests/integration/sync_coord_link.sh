#!/usr/bin/env bash
# sync_coord_link.sh — a card is never given away without a word (issue 14,
# finding 1), with the real kiosk, agent and hub, on SQLite and PostgreSQL.
# Coordinator mode, "Link a new card" for Peter D. (p14):
#  - Daan's card (p02) is refused on the screen, saying whose it is ("Daan V.")
#    and that it moves on the dashboard; nothing is recorded; Peter gets no card;
#  - Peter's own card (none yet) / a card already his changes nothing;
#  - a new card is linked, the text has no double full stop ("Peter D.."),
#    and the hub audits the link (kiosk.credential, who = the kiosk).
# Then at the hub, raw POST /v1/events: a kiosk that did not know (offline,
# old roster) sends a link of Daan's card to Peter: the card stays Daan's,
# the refusal is audited (kiosk.credential_refused). Screenshots at 800x480
# and 1920x1080 go to $OUT/screens/.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
. tests/sync_lib.sh
. tests/integration/hub_lib/pg.sh
. tests/integration/kiosk_lib.bash
trap 'kiosk_stop; sync_cleanup' EXIT
export PRESENTIE_TRACE_TEXT=1

sync_need_kiosk || exit 1
COORD=04000000000008   # Joyce M., coordinator
DAAN=04000000000002
NEW=04ddeeff001122

# texts: every text of the last traced frame, one per line
texts() {
	awk '/^frame screen=/ { n = 0; delete t } /^text / { sub(/.* s=/, ""); t[n++] = $0 }
	    END { for (i = 0; i < n; i++) print t[i] }' "$OUT/$K_NAME.out"
}
# hubsql BACKEND URL QUERY: rows as a|b lines
hubsql() {
	if [ "$1" = sqlite ]; then
		sqlite3 -batch -noheader "${2#sqlite:}" "$3"
	else
		psql -At "$2" -c "$3"
	fi
}

# to_link SIZE: coordinator mode, find Peter, "hold the new card"
to_link() {
	k_do card $COORD
	k_touch coord:2 >/dev/null
	k_touch char:112 >/dev/null; k_touch char:101 >/dev/null; k_touch char:116 >/dev/null
	k_touch pick:0 >/dev/null
}

run() {
	local be=$1 url=$2 size db
	DB=$OUT/kiosk-$be.db
	rm -f "$DB"*
	sync_demo_enrolled "$url" "$DB" "$be: " || return
	agent_start "$DB" --pull-interval 1
	for size in 800x480 1920x1080; do
		kiosk_start "k-$be-$size" "$size" "$DB" ||
			{ t_fail "$be $size: kiosk starts" "see $OUT/k-$be-$size.err"; return; }
		to_link
		t_eq "$be $size: the link prompt names Peter" yes "$(texts | grep -q 'Peter D\.' && echo yes)"
		k_do card $DAAN
		k_shot "link-taken-$be-$size"
		t_eq "$be $size: Daan's card is refused, saying it is Daan V.'s" \
			"coordinator yes" "$(k_screen) $(texts | grep -q 'Daan V\.' && echo yes)"
		t_check "$be $size: the refusal says the card moves on the dashboard" \
			sh -c "grep '^text ' '$OUT/$K_NAME.out' | tail -n 20 | grep -qi 'dashboard'"
		t_eq "$be $size: nothing recorded for the refused card" 0 \
			"$(store_sql "$DB" "SELECT count(*) FROM events WHERE kind = 'credential_enrolled'")"
		k_do key Escape
		kiosk_stop
	done

	kiosk_start "k-$be-link" 800x480 "$DB" || { t_fail "$be: kiosk starts" "see $OUT"; return; }
	to_link
	k_do card $NEW
	k_shot "link-done-$be"
	t_eq "$be: a new card is linked to Peter" 1 \
		"$(store_sql "$DB" "SELECT count(*) FROM events WHERE kind = 'credential_enrolled' AND person_id = 'p14'")"
	t_check "$be: the confirmation names Peter D. with one full stop (not 'Peter D..')" \
		sh -c "grep '^text ' '$OUT/$K_NAME.out' | tail -n 20 | grep -q 'Peter D\. ' &&
		    ! grep '^text ' '$OUT/$K_NAME.out' | tail -n 20 | grep -q '\.\.'"
	# the same card again, now known locally once the pull brings it
	wait_until 20 sh -c "[ \"\$(sqlite3 '$DB' \"SELECT count(*) FROM credentials WHERE person_id = 'p14' AND kind = 0\")\" = 1 ]"
	k_do key Escape
	to_link
	k_do card $NEW
	t_eq "$be: Peter's own card again changes nothing (said so)" "coordinator 1" \
		"$(k_screen) $(store_sql "$DB" "SELECT count(*) FROM events WHERE kind = 'credential_enrolled'")"
	k_do key Escape
	kiosk_stop
	t_drained 20 "$DB" "$be: the agent delivered the link" "$be: delivery"
	wait_until 10 sh -c "[ -n \"\$(hubsql $be '$url' \"SELECT 1 FROM audit_log WHERE action = 'kiosk.credential' AND target = 'p14'\")\" ]"
	t_eq "$be: the hub audited the kiosk's link (who: the kiosk, target p14, kind=card)" \
		"kiosk.credential|p14|kind=card|yes" \
		"$(hubsql "$be" "$url" "SELECT action, target, detail, CASE WHEN email LIKE 'kiosk %' THEN 'yes' ELSE email END FROM audit_log WHERE action LIKE 'kiosk.%'")"

	# A kiosk that did not know: a link of Daan's card to Peter reaches the hub.
	local dmac tok dev batch st
	dmac=$(hubsql "$be" "$url" "SELECT mac FROM credentials WHERE person_id = 'p02' AND kind = 'card' AND active = 1")
	tok=$(store_sql "$DB" "SELECT value FROM meta WHERE key = 'hub_token'")
	dev=$(store_sql "$DB" "SELECT value FROM meta WHERE key = 'device_id'")
	agent_stop
	batch=$OUT/refused-$be.json
	python3 - "$batch" "$dmac" "$DB" <<'EOF'
import json, sqlite3, sys, time
db = sqlite3.connect(sys.argv[3])
seq = db.execute("SELECT COALESCE(MAX(seq), 0) FROM events").fetchone()[0] + 1
now = int(time.time() * 1000)
ev = {"uuid": "0193c0de-7c3d-7e4f-8a9b-%012x" % seq, "seq": seq, "kind": "credential_enrolled",
      "person_id": "p14", "session_id": None, "role": None, "wall_ms": now,
      "boot_id": "5b0e5c3e-2f7a-4d8e-9b11-0f5c3a1d2e4f", "boottime_ns": 10**12,
      "clock_synced": True, "payload": {"kind": "card", "mac": sys.argv[2]}}
json.dump({"device_seq_from": seq, "events": [ev]}, open(sys.argv[1], "w"))
EOF
	if [ -z "$tok" ] || [ -z "$dmac" ]; then
		t_fail "$be: the kiosk's token and Daan's card MAC are known" "token '${tok:0:4}…' mac '$dmac'"
		hub_stop
		return
	fi
	st=$(curl -s -m 10 -o "$OUT/refused-$be.body" -w '%{http_code}' -H "Authorization: Bearer $tok" \
	    -H 'Content-Type: application/json' --data-binary @"$batch" "$HUB_URL/v1/events")
	t_eq "$be: the hub takes the batch (the event is kept, 200)" 200 "$st"
	t_eq "$be: Daan's card stays Daan's, Peter did not get it" "p02|1" \
		"$(hubsql "$be" "$url" "SELECT person_id, active FROM credentials WHERE mac = '$dmac'")"
	t_eq "$be: the refusal is audited (kiosk.credential_refused, target p14, owner named by id)" \
		"kiosk.credential_refused|p14|kind=card; refused: the card belongs to p02" \
		"$(hubsql "$be" "$url" "SELECT action, target, detail FROM audit_log WHERE action = 'kiosk.credential_refused'")"
	t_eq "$be: the audit names the kiosk's device" "$dev" \
		"$(hubsql "$be" "$url" "SELECT coordinator_id FROM audit_log WHERE action = 'kiosk.credential_refused'")"
	hub_stop
}

run sqlite "sqlite:$OUT/hub.db"
if sync_pg_start; then
	run postgresql "$PG_URL"
else
	t_fail "postgresql starts" "see output above"
fi
for f in "$OUT"/k-*.err; do
	if grep -q 'LeakSanitizer\|AddressSanitizer\|runtime error' "$f"; then
		t_fail "sanitizers clean ($(basename "$f"))" "$(grep -m1 'Sanitizer\|runtime error' "$f")"
	fi
done
t_done
