#!/usr/bin/env bash
# hub_pass.sh — phone passes and printed sheets (issue 12 points 3 and 4)
# through the real hub's dashboard API on SQLite and on PostgreSQL: issuing a
# pass answers it once (KP1 + 40 digits) with a PNG card; the hub keeps only
# its HMAC (computed here independently from the enrolled kiosk's org key;
# the pass string is nowhere in the database); kiosks get it as a card
# credential on their pull; re-issuing revokes the old one; revoking takes it
# away; cards.pdf issues fresh passes for the people printed, badges.pdf
# lists a session's expected people; both are audited and render with
# pdftoppm (PNGs kept in OUT for looking at).
set -u
source tests/lib.sh
source tests/integration/hub_lib/hub.sh
source tests/integration/hub_lib/pg.sh
trap 'hub_stop_all; pg_stop' EXIT

# dbdump B URL: every byte the database holds, as text
dbdump() {
	if [ "$1" = sqlite ]; then sqlite3 "${2#sqlite:}" .dump; cat "${2#sqlite:}"*
	else pg_as "$PG_BIN/pg_dump" "$2"; fi
}
# pass_mac KEYHEX PASS: HMAC-SHA256(key, "pass:" + the 16 bytes), hex
pass_mac() {
	python3 - "$1" "$2" <<'PY'
import hashlib, hmac, sys
key, p = bytes.fromhex(sys.argv[1]), sys.argv[2]
raw = b"".join(int(p[3 + 10 * g:13 + 10 * g]).to_bytes(4, "big") for g in range(4))
print(hmac.new(key, b"pass:" + raw, hashlib.sha256).hexdigest())
PY
}
ARABIC='فاطمة الزهراء'

pass_cases() {
	local B=$1 DB=$2 W=$OUT/$1 code tok key ct st pass pass2 mac mac2 cur n pa
	mkdir -p "$W"
	code=$("$HUB" demo --db "$DB" 2>/dev/null | tail -n 1)
	hub_start "$DB" || { t_fail "$B: hub starts" "no health answer"; return; }
	st=$(hreq POST "$HUB_URL/v1/enrol" "" -d "{\"code\":\"$code\",\"name\":\"pass kiosk\"}")
	tok=$(jget 'd["token"]') key=$(jget 'd["org_key"]')
	ct=$(login "$DASH_EMAIL" "$DASH_PASSWORD")
	t_check "$B: a kiosk enrolled and a coordinator logged in" test -n "$tok" -a -n "$ct" -a -n "$key"
	st=$(hreq GET "$HUB_URL/v1/changes" "$tok")
	cur=$(jget 'd["cursor"]')

	# issue: the pass once, a PNG card, only the HMAC stored
	st=$(hreq POST "$HUB_URL/v1/dash/people/p05/pass" "$ct" -H 'Content-Type: application/json' -d '{}')
	pass=$(jget 'd["pass"]')
	t_eq "$B: issuing a pass is 201 with kind qr" "201 qr True" "$st $(jget 'd["kind"], d["active"]' | tr -d "(),'")"
	t_check "$B: the pass is KP1 and 40 digits" grep -Eqx 'KP1[0-9]{40}' <<<"$pass"
	jget 'd["png"]' >"$W/png.url"
	t_eq "$B: the PNG is a card image of 856x540" "856 540" "$(python3 -c '
import base64, struct, sys
u = open(sys.argv[1]).read().strip()
assert u.startswith("data:image/png;base64,")
b = base64.b64decode(u.split(",", 1)[1]); open(sys.argv[2], "wb").write(b)
assert b[:8] == b"\x89PNG\r\n\x1a\n"
print(*struct.unpack(">II", b[16:24]))' "$W/png.url" "$W/pass.png")"
	mac=$(pass_mac "$key" "$pass")
	t_eq "$B: the hub stores the pass's HMAC under the org key (kind qr, active)" "qr|1" \
		"$(dbq "$B" "$DB" "SELECT kind || '|' || active FROM credentials WHERE mac = '$mac' AND person_id = 'p05'")"
	t_eq "$B: the MAC's first digits are the ref the answer gave" "${mac:0:8}" "$(jget 'd["ref"]')"
	dbdump "$B" "$DB" >"$W/dump"
	t_check "$B: the pass string is nowhere in the database" sh -c "! grep -aq '$pass' '$W/dump'"
	t_check "$B: ... nor in the hub's log" sh -c "! grep -q '$pass' '$OUT'/hub-*.log"
	t_check "$B: the audit has person.pass with the ref, not the pass" test \
		"$(dbq "$B" "$DB" "SELECT count(*) FROM audit_log WHERE action = 'person.pass' AND target = 'p05' AND detail = 'ref=${mac:0:8}'")" = 1
	st=$(hreq GET "$HUB_URL/v1/changes?cursor=$cur" "$tok")
	t_eq "$B: a kiosk's pull gets it as a card credential" "p05 card True" \
		"$(jget '" ".join("%s %s %s" % (c["person_id"], c["kind"], c["active"]) for c in d["credentials"] if c["mac"] == "'"$mac"'")')"
	cur=$(jget 'd["cursor"]')
	st=$(hreq GET "$HUB_URL/v1/dash/people/p05" "$ct")
	t_eq "$B: the person shows the pass by ref" "qr ${mac:0:8} True" \
		"$(jget '" ".join("%s %s %s" % (c["kind"], c["ref"], c["active"]) for c in d["credentials"] if c["kind"] == "qr")')"

	# re-issue: a new one, the old one revoked
	st=$(hreq POST "$HUB_URL/v1/dash/people/p05/pass" "$ct" -H 'Content-Type: application/json' -d '{}')
	pass2=$(jget 'd["pass"]')
	mac2=$(pass_mac "$key" "$pass2")
	t_eq "$B: re-issuing gives another pass, the old one inactive" "201 yes 0 1" \
		"$st $([ "$pass" != "$pass2" ] && echo yes) $(dbq "$B" "$DB" "SELECT active FROM credentials WHERE mac = '$mac'") $(dbq "$B" "$DB" "SELECT active FROM credentials WHERE mac = '$mac2'")"
	st=$(hreq POST "$HUB_URL/v1/dash/people/nobody/pass" "$ct" -H 'Content-Type: application/json' -d '{}')
	t_eq "$B: no such person is 404" 404 "$st"

	# revoke: inactive, and so on the next pull
	st=$(hreq POST "$HUB_URL/v1/dash/people/p05/revoke" "$ct" -H 'Content-Type: application/json' -d '{"kind":"qr"}')
	t_eq "$B: revoking the pass (kind qr)" "200 1" "$st $(jget 'd["revoked"]')"
	st=$(hreq GET "$HUB_URL/v1/changes?cursor=$cur" "$tok")
	t_eq "$B: the revocation reaches the kiosk's pull" "False False" \
		"$(jget '" ".join(str(c["active"]) for c in d["credentials"] if c["mac"] in ("'"$mac"'", "'"$mac2"'"))')"

	# 8 passes and 2 badge sheets at once (the hub draws one at a time)
	local i pids=()
	: >"$W/par.codes"
	for i in 1 2 3 4 5 6 7 8; do
		curl -s -m 30 -o "$W/par$i.json" -w '%{http_code}\n' -X POST -H "Authorization: Bearer $ct" \
			-H 'Content-Type: application/json' -d '{}' "$HUB_URL/v1/dash/people/p1$((i % 10))/pass" >>"$W/par.codes" &
		pids+=($!)
	done
	for i in 1 2; do
		curl -s -m 30 -o "$W/parb$i.pdf" -w '%{http_code}\n' -H "Authorization: Bearer $ct" \
			"$HUB_URL/v1/dash/print/badges.pdf?session=ws-04" >>"$W/par.codes" &
		pids+=($!)
	done
	wait "${pids[@]}"
	t_eq "$B: 8 passes and 2 PDFs drawn at the same time all succeed, each pass different" "200*2 201*8 8" \
		"$(sort "$W/par.codes" | uniq -c | awk '{printf "%s*%s ", $2, $1}')$(python3 -c 'import json,sys; print(len({json.load(open(f))["pass"] for f in sys.argv[1:]}))' "$W"/par?.json)"

	# cards.pdf: fresh passes for the people printed
	st=$(hreq POST "$HUB_URL/v1/dash/people" "$ct" -H 'Content-Type: application/json' \
		-d "{\"display_name\":\"$ARABIC\",\"first_name\":\"فاطمة\"}")
	t_check "$B: a person with an Arabic name is added ($st)" test "$st" = 201
	pa=$(jget 'd["id"]')
	n=$(dbq "$B" "$DB" "SELECT count(*) FROM credentials WHERE kind = 'qr'")
	st=$(hreq POST "$HUB_URL/v1/dash/print/cards.pdf" "$ct" -H 'Content-Type: application/json' \
		-d '{"people":["p01","p02","p03","p04","p06","p07","p08","p09","p10","p11","'"$pa"'"]}')
	cp "$OUT/last.body" "$W/cards.pdf"
	t_eq "$B: cards.pdf is a PDF" "200 %PDF" "$st $(head -c 4 "$W/cards.pdf")"
	t_check "$B: ... sent as an attachment" grep -qi '^content-disposition: attachment; filename="cards.pdf"' "$OUT/last.headers"
	t_eq "$B: 11 new passes were issued, one active for each person printed" "$((n + 11)) 11" \
		"$(dbq "$B" "$DB" "SELECT count(*) FROM credentials WHERE kind = 'qr'") $(dbq "$B" "$DB" "SELECT count(*) FROM credentials WHERE kind = 'qr' AND active = 1 AND person_id IN ('p01','p02','p03','p04','p06','p07','p08','p09','p10','p11','$pa')")"
	t_eq "$B: 2 pages of 10 cards" 2 "$(pdfinfo "$W/cards.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')"
	t_eq "$B: A4 paper" "595.276 x 841.89" "$(pdfinfo "$W/cards.pdf" 2>/dev/null | sed -n 's/^Page size: *\([0-9.]* x [0-9.]*\) pts.*/\1/p')"
	pdftoppm -r 60 -png "$W/cards.pdf" "$W/cards" 2>/dev/null
	t_check "$B: pdftoppm renders both pages" test -s "$W/cards-1.png" -a -s "$W/cards-2.png"
	t_check "$B: printing is audited" test \
		"$(dbq "$B" "$DB" "SELECT count(*) FROM audit_log WHERE action = 'print.cards' AND detail = '11 cards'")" = 1
	st=$(hreq POST "$HUB_URL/v1/dash/print/cards.pdf" "$ct" -H 'Content-Type: application/json' -d '{"people":["p01","nobody"]}')
	t_eq "$B: an unknown person prints nothing and issues nothing" "404 $((n + 11))" \
		"$st $(dbq "$B" "$DB" "SELECT count(*) FROM credentials WHERE kind = 'qr'")"
	st=$(hreq GET "$HUB_URL/v1/dash/print/cards.pdf" "$ct")
	t_eq "$B: GET cards.pdf is refused (it issues passes)" 405 "$st"

	# badges.pdf: a session's expected people
	st=$(hreq GET "$HUB_URL/v1/dash/print/badges.pdf?session=ws-04" "$ct")
	cp "$OUT/last.body" "$W/badges.pdf"
	t_eq "$B: badges.pdf is a PDF" "200 %PDF" "$st $(head -c 4 "$W/badges.pdf")"
	pdftoppm -r 60 -png -f 1 -l 1 "$W/badges.pdf" "$W/badges" 2>/dev/null
	t_check "$B: pdftoppm renders it" test -s "$W/badges-1.png"
	t_check "$B: badges are audited (this one and the 2 drawn at once)" test \
		"$(dbq "$B" "$DB" "SELECT count(*) FROM audit_log WHERE action = 'print.badges' AND target = 'ws-04'")" = 3
	n=$(dbq "$B" "$DB" "SELECT count(*) FROM audit_log WHERE action = 'person.pass'")
	st=$(hreq POST "$HUB_URL/v1/dash/print/cards.pdf" "$ct" -H 'Content-Type: application/json' -d '{"session":"ws-04"}')
	t_eq "$B: cards.pdf for a session's expected people, one new pass each" "200 %PDF $(pdfinfo "$W/badges.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')" \
		"$st $(head -c 4 "$OUT/last.body") $(( ($(dbq "$B" "$DB" "SELECT count(*) FROM audit_log WHERE action = 'person.pass'") - n + 9) / 10 ))"
	st=$(hreq POST "$HUB_URL/v1/dash/print/cards.pdf" "$ct" -H 'Content-Type: application/json' -d '{"session":"nope"}')
	t_eq "$B: cards.pdf for an unknown session is 404" 404 "$st"
	st=$(hreq GET "$HUB_URL/v1/dash/print/badges.pdf?session=nope" "$ct")
	t_eq "$B: an unknown session is 404" 404 "$st"
	st=$(hreq GET "$HUB_URL/v1/dash/print/badges.pdf?session=ws-04" "")
	t_eq "$B: printing needs a coordinator" 401 "$st"
	hub_stop_all
}

DASH_EMAIL=demo@presentie.test DASH_PASSWORD=presentie-demo
rm -f "$OUT"/*.db*
pass_cases sqlite "sqlite:$OUT/pass.db"
if pg_start; then
	pass_cases postgresql "$(pg_createdb presentie_pass)"
else
	t_fail "postgresql: server starts" "see output above"
fi
t_done
