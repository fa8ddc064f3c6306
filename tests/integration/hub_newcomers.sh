#!/usr/bin/env bash
# hub_newcomers.sh — a newcomer registered at a kiosk (issue 12 point 2,
# PROTOCOL.md "Newcomers") through the real hub on SQLite and PostgreSQL:
# the person_registered event is validated field by field (a raw UID, an
# unknown field, markup in a name: 400), arrives as a PENDING registration
# (not a person, not sent to kiosks), a coordinator of another organisation
# cannot see or decide it, approval makes the person with the consent given
# at the kiosk and activates the card (both pulled by kiosks), audited
# without the name; rejection blanks the names, the card MAC and the event's
# payload, and the kiosk that registered the newcomer (only that one) is
# told on its next pull (registrations_rejected) to delete its copy. A
# replay changes nothing. A registration nobody decided on goes with the
# organisation's retention (purge). Whether newcomers may register at all
# is the organisation's setting (off by default; PUT
# /v1/dash/registrations/setting, audited), carried on every pull.
set -u
source tests/lib.sh
source tests/integration/hub_lib/hub.sh
source tests/integration/hub_lib/pg.sh
trap 'hub_stop_all; pg_stop' EXIT

MAC=ab00000000000000000000000000000000000000000000000000000000000012
# reg FILE SEQ ID NAME [EXTRA_JSON]: a batch with one person_registered event.
reg() {
	python3 - "$@" <<'PY'
import json, sys
f, seq, pid, name = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
extra = json.loads(sys.argv[5]) if len(sys.argv) > 5 else {}
p = {"id": pid, "display_name": name, "first_name": name.split(" ")[0], "lang": "ar",
     "consent_version": "kiosk-1", "consent_ms": 1763819527000}
p.update(extra)
p = {k: v for k, v in p.items() if v is not None}
ev = {"uuid": "0193b000-7c3d-7e4f-8a9b-%012x" % seq, "seq": seq, "kind": "person_registered",
      "person_id": None, "session_id": None, "role": None, "wall_ms": 1763819527000,
      "boot_id": "5b0e5c3e-2f7a-4d8e-9b11-0f5c3a1d2e4f", "boottime_ns": seq * 1000000,
      "clock_synced": True, "payload": p}
json.dump({"device_seq_from": seq, "events": [ev]}, open(f, "w"))
PY
}

newcomer_cases() {
	local B=$1 DB=$2 W=$OUT/$1 code tok ct ctX st cur
	local P1=0193b000-0000-7000-8000-000000000001 P2=0193b000-0000-7000-8000-000000000002
	mkdir -p "$W"
	code=$("$HUB" demo --db "$DB" 2>/dev/null | tail -n 1)
	"$HUB" org create --db "$DB" --id org-x --name "Organisatie X" >/dev/null
	echo "coordinator-x-password" | "$HUB" coordinator create --db "$DB" --org org-x \
		--email coord@x.example >/dev/null
	hub_start "$DB" || { t_fail "$B: hub starts" "no health answer"; return; }
	tok=$(enrol "$code")
	ct=$(login demo@presentie.test presentie-demo)
	ctX=$(login coord@x.example coordinator-x-password)
	t_check "$B: a kiosk enrolled, coordinators of two organisations logged in" \
		test -n "$tok" -a -n "$ct" -a -n "$ctX"
	st=$(hreq GET "$HUB_URL/v1/changes" "$tok")
	cur=$(jget 'd["cursor"]')
	t_eq "$B: newcomers are off by default: the pull says so" "200 False []" \
		"$st $(jget 'd["newcomers"], d["registrations_rejected"]' | tr -d '(),')"
	st=$(hreq GET "$HUB_URL/v1/dash/registrations" "$ct")
	t_eq "$B: ... and so does the dashboard" "200 False" "$st $(jget 'd["allowed"]')"

	# the organisation's setting: only its own coordinator, only true/false, audited
	st=$(hreq PUT "$HUB_URL/v1/dash/registrations/setting" "$ct" -d '{"allowed":"yes"}')
	t_eq "$B: the setting takes true or false only" 400 "$st"
	st=$(hreq PUT "$HUB_URL/v1/dash/registrations/other" "$ct" -d '{"allowed":true}')
	t_eq "$B: ... at .../setting only" 404 "$st"
	st=$(hreq PUT "$HUB_URL/v1/dash/registrations/setting" "" -d '{"allowed":true}')
	t_eq "$B: ... and not without a login" 401 "$st"
	st=$(hreq PUT "$HUB_URL/v1/dash/registrations/setting" "$ctX" -d '{"allowed":true}')
	t_eq "$B: another organisation's coordinator switches only their own" "200 0 1" \
		"$st $(dbq "$B" "$DB" "SELECT newcomers FROM organisations WHERE id = 'org-grubbehoeve'") $(dbq "$B" "$DB" "SELECT newcomers FROM organisations WHERE id = 'org-x'")"
	st=$(hreq GET "$HUB_URL/v1/changes?cursor=$cur" "$tok")
	t_eq "$B: ... so this kiosk still may not" "200 False" "$st $(jget 'd["newcomers"]')"
	st=$(hreq PUT "$HUB_URL/v1/dash/registrations/setting" "$ct" -d '{"allowed":true}')
	t_eq "$B: the coordinator allows newcomers" "200 True" "$st $(jget 'd["allowed"]')"
	st=$(hreq GET "$HUB_URL/v1/changes?cursor=$cur" "$tok")
	t_eq "$B: the next pull (nothing else changed) says newcomers may register" "200 True" \
		"$st $(jget 'd["newcomers"]')"
	t_eq "$B: the setting is audited" "registration.setting organisation allowed=yes" \
		"$(dbq "$B" "$DB" "SELECT action || ' ' || target || ' ' || detail FROM audit_log WHERE action = 'registration.setting' AND org_id = 'org-grubbehoeve'")"

	# hostile payloads: refused with the field named, nothing stored
	reg "$W/uid.json" 1 "$P1" "Amina B." '{"uid": "04aabbccddeeff"}'
	st=$(hreq POST "$HUB_URL/v1/events" "$tok" --data-binary @"$W/uid.json")
	t_eq "$B: a raw UID (unknown field) is refused" "400 1" "$st $(grep -c 'unknown field' "$OUT/last.body")"
	reg "$W/mac.json" 1 "$P1" "Amina B." '{"card_mac": "04aabbccddeeff"}'
	st=$(hreq POST "$HUB_URL/v1/events" "$tok" --data-binary @"$W/mac.json")
	t_eq "$B: a card_mac that is no MAC is refused" "400 1" "$st $(grep -c 'card_mac' "$OUT/last.body")"
	reg "$W/xss.json" 1 "$P1" '<img src=x onerror=alert(1)> B.'
	st=$(hreq POST "$HUB_URL/v1/events" "$tok" --data-binary @"$W/xss.json")
	t_eq "$B: markup in a name is refused" "400 1" "$st $(grep -c 'display_name' "$OUT/last.body")"
	reg "$W/lang.json" 1 "$P1" "Amina B." '{"lang": "xx"}'
	st=$(hreq POST "$HUB_URL/v1/events" "$tok" --data-binary @"$W/lang.json")
	t_eq "$B: an unknown language is refused" 400 "$st"
	reg "$W/noc.json" 1 "$P1" "Amina B." '{"consent_ms": null}'
	st=$(hreq POST "$HUB_URL/v1/events" "$tok" --data-binary @"$W/noc.json")
	t_eq "$B: no consent moment is refused" 400 "$st"
	t_eq "$B: nothing stored from refused batches" "0 0" \
		"$(dbq "$B" "$DB" "SELECT COUNT(*) FROM registrations") $(dbq "$B" "$DB" "SELECT COUNT(*) FROM events")"

	# a registration with a card, and one with an SQL-ish name, without card
	reg "$W/r1.json" 1 "$P1" "أمينة ب." "{\"card_mac\": \"$MAC\"}"
	st=$(hreq POST "$HUB_URL/v1/events" "$tok" --data-binary @"$W/r1.json")
	t_eq "$B: person_registered is stored" "200 1" "$st $(jget 'd["stored"]')"
	st=$(hreq POST "$HUB_URL/v1/events" "$tok" --data-binary @"$W/r1.json")
	t_eq "$B: a replay is a duplicate" "200 1" "$st $(jget 'd["duplicates"]')"
	reg "$W/r2.json" 2 "$P2" "Robert'); DROP TABLE people;-- R."
	st=$(hreq POST "$HUB_URL/v1/events" "$tok" --data-binary @"$W/r2.json")
	t_eq "$B: a second registration is stored" "200 2" "$st $(jget 'd["acked_seq"]')"
	t_eq "$B: two pending registrations, no person made" "2 0" \
		"$(dbq "$B" "$DB" "SELECT COUNT(*) FROM registrations WHERE status = 'pending'") $(dbq "$B" "$DB" "SELECT COUNT(*) FROM people WHERE id IN ('$P1', '$P2')")"
	st=$(hreq GET "$HUB_URL/v1/changes?cursor=$cur" "$tok")
	t_eq "$B: kiosks are not sent a pending person" "200 0" "$st $(jget 'len([p for p in d["people"] if p["id"] in ("'$P1'", "'$P2'")])')"

	st=$(hreq GET "$HUB_URL/v1/dash/registrations" "$ct")
	t_eq "$B: the dashboard lists both, names and card flag intact" \
		"200 أمينة ب.:ar:True:kiosk-1|Robert'); DROP TABLE people;-- R.:ar:False:kiosk-1" \
		"$st $(jget '"|".join("%s:%s:%s:%s" % (r["display_name"], r["lang"], r["card"], r["consent_version"]) for r in d["registrations"])')"
	st=$(hreq GET "$HUB_URL/v1/dash/registrations" "$ctX")
	t_eq "$B: another organisation's coordinator sees none" "200 0" "$st $(jget 'len(d["registrations"])')"
	st=$(hreq POST "$HUB_URL/v1/dash/registrations/$P1/approve" "$ctX")
	t_eq "$B: ... and cannot approve it" 404 "$st"
	st=$(hreq POST "$HUB_URL/v1/dash/registrations/nope/approve" "$ct")
	t_eq "$B: an unknown id is 404" 404 "$st"

	# approve: the person with the consent given, the card active, pulled by kiosks
	st=$(hreq POST "$HUB_URL/v1/dash/registrations/$P1/approve" "$ct")
	t_eq "$B: approve makes the person and links the card" "200 approved $P1 linked" \
		"$st $(jget 'd["status"], d["person_id"], d["card"]' | tr -d "(),'")"
	t_eq "$B: the person holds the consent moment and version" "أمينة ب.|ar|1763819527000|kiosk-1" \
		"$(dbq "$B" "$DB" "SELECT display_name || '|' || lang || '|' || consent_ms || '|' || consent_version FROM people WHERE id = '$P1'")"
	t_eq "$B: the card credential is active" "1" \
		"$(dbq "$B" "$DB" "SELECT COUNT(*) FROM credentials WHERE person_id = '$P1' AND mac = '$MAC' AND active = 1 AND kind = 'card'")"
	st=$(hreq GET "$HUB_URL/v1/changes?cursor=$cur" "$tok")
	t_eq "$B: the next pull brings the person and the card" "200 1 1" \
		"$st $(jget 'len([p for p in d["people"] if p["id"] == "'$P1'"]), len([c for c in d["credentials"] if c["person_id"] == "'$P1'"])' | tr -d '(),')"
	st=$(hreq POST "$HUB_URL/v1/dash/registrations/$P1/approve" "$ct")
	t_eq "$B: approving twice is 404 (decided)" 404 "$st"
	t_eq "$B: approved, the name lives only in people (registration and event keep no copy)" "|approved {} 1" \
		"$(dbq "$B" "$DB" "SELECT display_name || first_name || COALESCE(card_mac, '') || '|' || status FROM registrations WHERE id = '$P1'") $(dbq "$B" "$DB" "SELECT payload || ' ' || anonymised FROM events WHERE seq = 1 AND kind = 'person_registered'")"
	st=$(hreq POST "$HUB_URL/v1/events" "$tok" --data-binary @"$W/r1.json")
	t_eq "$B: a replay of the approved event is a duplicate (not 409)" "200 1" "$st $(jget 'd["duplicates"]')"
	t_eq "$B: the approval is audited, without the name" "registration.approve card=linked 0" \
		"$(dbq "$B" "$DB" "SELECT action || ' ' || COALESCE(detail, '') FROM audit_log WHERE target = '$P1'") $(dbq "$B" "$DB" "SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%أمينة%' OR target LIKE '%أمينة%'")"

	# a second kiosk of the location, to see who is told of a rejection
	local code2 tok2 cur2
	code2=$("$HUB" device create --db "$DB" --location "$(dbq "$B" "$DB" "SELECT MIN(id) FROM locations WHERE org_id = 'org-grubbehoeve'")" 2>/dev/null | tail -n 1)
	tok2=$(enrol "${code2##* }")
	st=$(hreq GET "$HUB_URL/v1/changes" "$tok2")
	cur2=$(jget 'd["cursor"]')
	st=$(hreq GET "$HUB_URL/v1/changes?cursor=$cur" "$tok")
	t_eq "$B: before any rejection no kiosk is told of one" "200 []" "$st $(jget 'd["registrations_rejected"]')"
	cur=$(jget 'd["cursor"]')

	# reject: nothing identifying stays
	st=$(hreq POST "$HUB_URL/v1/dash/registrations/$P2/reject" "$ct")
	t_eq "$B: reject" "200 rejected" "$st $(jget 'd["status"]')"
	t_eq "$B: the rejected registration keeps no name, the event no payload, no person" "|rejected {} 1 0" \
		"$(dbq "$B" "$DB" "SELECT display_name || first_name || COALESCE(card_mac, '') || '|' || status FROM registrations WHERE id = '$P2'") $(dbq "$B" "$DB" "SELECT payload || ' ' || anonymised FROM events WHERE seq = 2 AND kind = 'person_registered'") $(dbq "$B" "$DB" "SELECT COUNT(*) FROM people WHERE id = '$P2'")"
	t_eq "$B: the rejection is audited" "registration.reject" \
		"$(dbq "$B" "$DB" "SELECT action FROM audit_log WHERE target = '$P2'")"
	st=$(hreq GET "$HUB_URL/v1/changes?cursor=$cur" "$tok")
	t_eq "$B: the registering kiosk's next pull names the rejected newcomer (not the approved one)" \
		"200 ['$P2'] 0" "$st $(jget '[r["id"] for r in d["registrations_rejected"]], len(d["people"])' | tr -d '(),')"
	cur=$(jget 'd["cursor"]')
	st=$(hreq GET "$HUB_URL/v1/changes?cursor=$cur" "$tok")
	t_eq "$B: ... once: the pull after it does not repeat it" "200 []" "$st $(jget 'd["registrations_rejected"]')"
	st=$(hreq GET "$HUB_URL/v1/changes?cursor=$cur2" "$tok2")
	t_eq "$B: another kiosk of the location (which never held the name) is not told" "200 [] True" \
		"$st $(jget 'd["registrations_rejected"], d["newcomers"]' | tr -d '(),')"
	st=$(hreq GET "$HUB_URL/v1/dash/registrations" "$ct")
	t_eq "$B: nothing pending any more" "200 0" "$st $(jget 'len(d["registrations"])')"
	st=$(hreq POST "$HUB_URL/v1/events" "$tok" --data-binary @"$W/r2.json")
	t_eq "$B: a replay of the rejected event does not bring it back" "200 0 pending=0" \
		"$st $(jget 'd["stored"]') pending=$(dbq "$B" "$DB" "SELECT COUNT(*) FROM registrations WHERE status = 'pending'")"

	# retention: a registration nobody decided on goes with the organisation's retention
	local P3=0193b000-0000-7000-8000-000000000003 old
	old=$(( $(date +%s%3N) - 40 * 86400000 ))
	reg "$W/r3.json" 3 "$P3" "Oud Verzoek O."
	st=$(hreq POST "$HUB_URL/v1/events" "$tok" --data-binary @"$W/r3.json")
	dbq "$B" "$DB" "UPDATE registrations SET received_ms = $old WHERE id = '$P3'" >/dev/null
	dbq "$B" "$DB" "UPDATE events SET t_ms = $old WHERE kind = 'person_registered' AND seq = 3" >/dev/null
	"$HUB" org set --db "$DB" --id org-grubbehoeve --retention-days 30 >/dev/null
	t_check "$B: the purge counts the old registration and its event" \
		grep -q " registrations=2" <<<"$("$HUB" purge --db "$DB" --org org-grubbehoeve)"
	t_eq "$B: after the retention the old registration and its name are gone" "0 0" \
		"$(dbq "$B" "$DB" "SELECT COUNT(*) FROM registrations WHERE id = '$P3'") $(dbq "$B" "$DB" "SELECT COUNT(*) FROM events WHERE payload LIKE '%Oud Verzoek%'")"

	# every Big List of Naughty Strings line as a newcomer's name: stored
	# exactly (and listed byte for byte) or refused with 400, never a 500
	t_eq "$B: naughty names: stored exactly or 400, listed back, hub alive" ok \
		"$(python3 - "$HUB_URL" "$tok" "$ct" tests/data/blns.txt <<'PY'
import json, sys, urllib.request, urllib.error
hub, tok, ct, path = sys.argv[1:5]
names = [l for l in open(path, encoding="utf-8").read().split("\n") if l and not l.startswith("#")]
def call(method, url, token, body=None):
    req = urllib.request.Request(hub + url, method=method, data=body,
                                 headers={"Authorization": "Bearer " + token})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()
stored, bad = {}, []
for i, name in enumerate(names):
    seq = 1000 + i
    pid = "0193b000-0000-7000-8000-%012x" % seq
    ev = {"uuid": "0193b000-7c3d-7e4f-8a9b-%012x" % seq, "seq": seq, "kind": "person_registered",
          "person_id": None, "wall_ms": 1763819527000, "boot_id": "5b0e5c3e-2f7a-4d8e-9b11-0f5c3a1d2e4f",
          "boottime_ns": seq, "clock_synced": True,
          "payload": {"id": pid, "display_name": name, "first_name": "X", "lang": "nl",
                      "consent_version": "kiosk-1", "consent_ms": 1763819527000}}
    st, body = call("POST", "/v1/events", tok, json.dumps({"events": [ev]}).encode())
    if st == 200:
        stored[pid] = name
    elif st != 400 or b"display_name" not in body:
        bad.append("%d for %r" % (st, name[:30]))
st, body = call("GET", "/v1/dash/registrations", ct)
listed = {r["id"]: r["display_name"] for r in json.loads(body)["registrations"]} if st == 200 else {}
wrong = [pid for pid, n in stored.items() if listed.get(pid) != n]
if bad or wrong or len(stored) < 100:   # most lines hold markup characters: 400
    print("bad=%s wrong=%d stored=%d/%d" % (bad[:3], len(wrong), len(stored), len(names)))
else:
    print("ok")
PY
)"
	hub_stop_all
}

rm -f "$OUT"/newcomers*.db*
newcomer_cases sqlite "sqlite:$OUT/newcomers.db"
if pg_start; then
	newcomer_cases postgresql "$(pg_createdb presentie_newcomers)"
else
	t_fail "postgresql: server starts" "see output above"
fi
t_done
