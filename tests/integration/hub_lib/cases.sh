# shellcheck shell=bash
# cases.sh — the hub API cases, run once per backend by hub_api.sh
# (sourced). hub_cases NAME DBURL: seeds the demo organisation and a second
# organisation, then checks enrolment, events, changes, tenancy, limits,
# hostile input, exports, clock correction, erasure and CSV import.
DATA=${DATA:-tests/data}

hub_cases() {
	local B=$1 DB=$2 H="$HUB" st code tok tokB tokB2 tokX ct ctX cur
	local W=$OUT/$B
	mkdir -p "$W"

	# --- setup: demo org (Y) with a second location B, and organisation X
	code=$("$H" demo --db "$DB" 2>"$W/demo.err" | tail -n 1)
	t_check "$B: demo prints an enrolment code as its last line" \
		grep -Eq '^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$' <<<"$code"
	"$H" location create --db "$DB" --org org-grubbehoeve --id loc-b --name "Locatie B" >/dev/null
	printf 'session_id;programme_id;title;date;start;end;room;kind;location_id\r\nb-01;mjew-najaar;Elders;2030-01-10;10:00;12:00;Zaal B;group;loc-b\r\n' >"$W/sessB.csv"
	"$H" import sessions "$W/sessB.csv" --db "$DB" --org org-grubbehoeve >/dev/null
	"$H" org create --db "$DB" --id org-x --name "Organisatie X" >/dev/null
	"$H" location create --db "$DB" --org org-x --id loc-x --name "Huis X" >/dev/null
	printf 'person_id;display_name;consent_date\np01;Xavier X.;2025-01-01\npx1;Xena X.;2025-01-01\npx2;Geen Toestemming;\n' >"$W/px.csv"
	"$H" import people "$W/px.csv" --db "$DB" --org org-x >/dev/null
	echo "coordinator-x-password" | "$H" coordinator create --db "$DB" --org org-x \
		--email coord@x.example >/dev/null
	hub_start "$DB" || { t_fail "$B: hub starts" "no health answer"; return; }

	# --- enrolment
	tok=$(enrol "$code")
	t_eq "$B: enrol gives a 43-character token" 43 "${#tok}"
	st=$(hreq POST "$HUB_URL/v1/enrol" "" -d "{\"code\":\"$code\"}")
	t_eq "$B: enrolment code used twice is refused" 401 "$st"
	code=$("$H" device create --db "$DB" --location loc-grubbehoeve --code-ttl 0 | tail -n 1)
	sleep 0.01
	st=$(hreq POST "$HUB_URL/v1/enrol" "" -d "{\"code\":\"$code\"}")
	t_eq "$B: expired enrolment code is refused" 401 "$st"
	st=$(hreq POST "$HUB_URL/v1/enrol" "" -d '{"name":"no code"}')
	t_eq "$B: enrol without code is 400" 400 "$st"
	tokB=$(enrol "$("$H" device create --db "$DB" --location loc-b | tail -n 1)")
	tokX=$(enrol "$("$H" device create --db "$DB" --location loc-x | tail -n 1)")
	t_eq "$B: devices at location B and in organisation X enrol" "43 43" "${#tokB} ${#tokX}"

	# --- events: idempotent, acked_seq, gaps
	gen_batch "$W/b1.json" 1 3
	st=$(hreq POST "$HUB_URL/v1/events" "$tok" --data-binary @"$W/b1.json")
	t_eq "$B: first batch stored" "200 3 3 0" "$st $(jget 'd["acked_seq"], d["stored"], d["duplicates"]' | tr -d '(),')"
	st=$(hreq POST "$HUB_URL/v1/events" "$tok" --data-binary @"$W/b1.json")
	t_eq "$B: same batch twice changes nothing, same acked_seq" "200 3 0 3" "$st $(jget 'd["acked_seq"], d["stored"], d["duplicates"]' | tr -d '(),')"
	gen_batch "$W/b5.json" 5 2
	st=$(hreq POST "$HUB_URL/v1/events" "$tok" --data-binary @"$W/b5.json")
	t_eq "$B: a gap keeps acked_seq at the last contiguous" "200 3" "$st $(jget 'd["acked_seq"]')"
	gen_batch "$W/b4.json" 4 1
	st=$(hreq POST "$HUB_URL/v1/events" "$tok" --data-binary @"$W/b4.json")
	t_eq "$B: filling the gap acks everything" "200 6" "$st $(jget 'd["acked_seq"]')"
	gen_batch "$W/bc.json" 2 1 person=p02
	st=$(hreq POST "$HUB_URL/v1/events" "$tok" --data-binary @"$W/bc.json")
	t_eq "$B: same uuid+seq with other content is 409" 409 "$st"
	gen_batch "$W/i7.json" 7 1
	st=$(hreq POST "$HUB_URL/v1/events" "$tok" -H "Idempotency-Key: k7" --data-binary @"$W/i7.json")
	cp "$OUT/last.body" "$W/i7.answer"
	st=$(hreq POST "$HUB_URL/v1/events" "$tok" -H "Idempotency-Key: k7" --data-binary @"$W/i7.json")
	t_check "$B: Idempotency-Key replay returns the stored answer" cmp -s "$W/i7.answer" "$OUT/last.body"
	gen_batch "$W/i8.json" 8 1
	st=$(hreq POST "$HUB_URL/v1/events" "$tok" -H "Idempotency-Key: k7" --data-binary @"$W/i8.json")
	t_eq "$B: Idempotency-Key with another body is 422" 422 "$st"

	# --- authentication and tenancy
	st=$(hreq POST "$HUB_URL/v1/events" "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" --data-binary @"$W/b1.json")
	t_eq "$B: unknown token is 401" 401 "$st"
	st=$(hreq POST "$HUB_URL/v1/events" "" --data-binary @"$W/b1.json")
	t_eq "$B: no token is 401" 401 "$st"
	gen_batch "$W/ab.json" 1 1 session=b-01 uuidbase=0193a1b3
	st=$(hreq POST "$HUB_URL/v1/events" "$tok" --data-binary @"$W/ab.json")
	t_eq "$B: device of location A writing a session of B is 403" 403 "$st"
	gen_batch "$W/ax.json" 1 1 person=px1 session= uuidbase=0193a1b4
	st=$(hreq POST "$HUB_URL/v1/events" "$tok" --data-binary @"$W/ax.json")
	t_eq "$B: a person of another organisation is 403" 403 "$st"
	gen_batch "$W/xb.json" 1 1 person=p01 session=ws-04 uuidbase=0193a1b5
	st=$(hreq POST "$HUB_URL/v1/events" "$tokX" --data-binary @"$W/xb.json")
	t_eq "$B: device of org X naming a session of org Y is 403" 403 "$st"
	st=$(hreq GET "$HUB_URL/v1/changes" "$tokX")
	t_eq "$B: org X device pulls only X (no sessions, 2 people)" "200 0 2" "$st $(jget 'len(d["sessions"]), len(d["people"])' | tr -d '(),')"

	# --- changes paging: 1500 people in pages of at most 1000
	st=$(hreq GET "$HUB_URL/v1/changes" "$tokX")
	cur=$(jget 'd["cursor"]')
	python3 -c 'import sys
print("person_id;display_name;consent_date")
for i in range(1500): print("pp%04d;Persoon %d;2025-01-01" % (i, i))' >"$W/many.csv"
	"$H" import people "$W/many.csv" --db "$DB" --org org-x >/dev/null
	st=$(hreq GET "$HUB_URL/v1/changes?cursor=$cur" "$tokX")
	local p1; p1=$(jget 'len(d["people"]), d["more"]' | tr -d '(),')
	cur=$(jget 'd["cursor"]')
	st=$(hreq GET "$HUB_URL/v1/changes?cursor=$cur" "$tokX")
	t_eq "$B: changes come in pages of 1000 with more/cursor" "1000 True 500 False" \
		"$p1 $(jget 'len(d["people"]), d["more"]' | tr -d '(),')"
	cur=$(jget 'd["cursor"]')
	st=$(hreq GET "$HUB_URL/v1/changes?cursor=$cur" "$tokX")
	t_eq "$B: nothing new after the last page" "0 False" "$(jget 'len(d["people"]), d["more"]' | tr -d '(),')"

	# --- limits and hostile input
	head -c $((1024 * 1024 + 10)) /dev/zero | tr '\0' ' ' >"$W/big.json"
	st=$(hreq POST "$HUB_URL/v1/events" "$tok" --data-binary @"$W/big.json")
	t_eq "$B: body over 1 MiB (Content-Length) is 413" 413 "$st"
	st=$(hreq POST "$HUB_URL/v1/events" "$tok" -H "Transfer-Encoding: chunked" --data-binary @"$W/big.json")
	t_eq "$B: chunked body over 1 MiB is 413" 413 "$st"
	gen_batch "$W/501.json" 100 501
	st=$(hreq POST "$HUB_URL/v1/events" "$tok" --data-binary @"$W/501.json")
	t_eq "$B: 501 events in a batch is 413" 413 "$st"
	st=$(hreq POST "$HUB_URL/v1/events" "$tok" --data-binary '{"events":[{"uuid":')
	t_eq "$B: malformed JSON is 400" 400 "$st"
	st=$(hreq GET "$HUB_URL/v1/health" "")
	t_eq "$B: hub still serving after malformed JSON" 200 "$st"
	local bad=0 n=0 f
	for f in "$DATA"/json/*.json; do
		n=$((n + 1))
		st=$(hreq POST "$HUB_URL/v1/events" "$tok" --data-binary @"$f")
		case $st in 400|413) ;; *) bad=$((bad + 1)); echo "JSONTestSuite $f -> $st" ;; esac
	done
	t_eq "$B: $n JSONTestSuite bodies all answered 400/413" 0 "$bad"
	st=$(hreq GET "$HUB_URL/v1/health" "")
	t_eq "$B: hub still serving after JSONTestSuite" 200 "$st"
	st=$(hreq GET "$HUB_URL/v1/changes?cursor=../etc" "$tok")
	t_eq "$B: a forged cursor is 400" 400 "$st"

	# --- credential linked at a kiosk reaches other kiosks
	st=$(hreq GET "$HUB_URL/v1/changes" "$tokB")
	cur=$(jget 'd["cursor"]')
	gen_batch "$W/ce.json" 9 1 kind=credential_enrolled session= person=p18 \
		payload='{"kind":"card","mac":"aa00000000000000000000000000000000000000000000000000000000000018"}'
	st=$(hreq POST "$HUB_URL/v1/events" "$tok" --data-binary @"$W/ce.json")
	st=$(hreq GET "$HUB_URL/v1/changes?cursor=$cur" "$tokB")
	t_eq "$B: credential_enrolled reaches another kiosk on its next pull" "p18" \
		"$(jget '",".join(c["person_id"] for c in d["credentials"] if c["mac"].startswith("aa00"))')"

	# --- exports, tenancy of exports
	ct=$(login coordinator@demo.presentie.nl demo-only-password)
	ctX=$(login coord@x.example coordinator-x-password)
	t_eq "$B: coordinators log in" "43 43" "${#ct} ${#ctX}"
	st=$(hreq POST "$HUB_URL/v1/login" "" -d '{"email":"coord@x.example","password":"wrong-password"}')
	t_eq "$B: wrong password is 401" 401 "$st"
	printf 'person_id;display_name;consent_date\r\npf1;"=HYPERLINK(""http://x"")";2025-01-01\r\npf2;+31 6 123;2025-01-01\r\n' >"$W/pf.csv"
	"$H" import people "$W/pf.csv" --db "$DB" --org org-grubbehoeve >/dev/null
	gen_batch "$W/pf.json" 10 1 person=pf1 uuidbase=0193a1c0
	st=$(hreq POST "$HUB_URL/v1/events" "$tok" --data-binary @"$W/pf.json")
	st=$(hreq GET "$HUB_URL/v1/export/attendance.csv" "$ct")
	cp "$OUT/last.body" "$W/att.csv"
	t_eq "$B: CSV export 200 starts with the UTF-8 BOM" "200 efbbbf" "$st $(head -c 3 "$W/att.csv" | od -An -tx1 | tr -d ' \n')"
	t_check "$B: CSV export uses ';' and CRLF on every line" \
		python3 -c 'import sys; b=open(sys.argv[1],"rb").read(); ls=b.split(b"\r\n"); assert ls[-1]==b"" and all(b"\n" not in l for l in ls) and all(l.count(b";")>=18 for l in ls[:-1])' "$W/att.csv"
	t_check "$B: CSV export neutralises a formula cell" grep -q "'=HYPERLINK(\"\"http://x\"\")" "$W/att.csv"
	# 8 check-ins: 7 of p01 and 1 of pf1 in ws-04 -> one row per presence, the taps behind it kept
	t_eq "$B: CSV export has one row per presence (person, session), with its taps" "2 8" \
		"$(python3 -c 'import csv,sys; r=list(csv.DictReader(open(sys.argv[1],encoding="utf-8-sig"),delimiter=";")); print(len(r), sum(int(x["taps"]) for x in r))' "$W/att.csv")"
	st=$(hreq GET "$HUB_URL/v1/export/attendance.json?from=2000-01-01&to=2099-12-31" "$ct")
	t_eq "$B: JSON export parses, same rows" "200 2 8" "$st $(jget 'len(d), sum(r["taps"] for r in d)' | tr -d "(),")"
	st=$(hreq GET "$HUB_URL/v1/export/attendance.csv" "$ctX")
	t_eq "$B: coordinator of X sees none of Y's rows" "200 1" "$st $(grep -c $'\r$' "$OUT/last.body")"
	st=$(hreq GET "$HUB_URL/v1/export/attendance.csv?programme=mjew-najaar" "$ctX")
	t_eq "$B: coordinator of X asking for Y's programme is refused" 403 "$st"
	st=$(hreq GET "$HUB_URL/v1/export/attendance.json?location=loc-grubbehoeve" "$ctX")
	t_eq "$B: coordinator of X asking for Y's location is refused" 403 "$st"
	st=$(hreq GET "$HUB_URL/v1/export/presentielijst.csv?session=ws-04" "$ctX")
	t_eq "$B: coordinator of X asking for Y's presentielijst is refused" 403 "$st"
	st=$(hreq GET "$HUB_URL/v1/export/attendance.csv" "$tok")
	t_eq "$B: a device token cannot export" 401 "$st"
	st=$(hreq GET "$HUB_URL/v1/export/presentielijst.csv?session=ws-04" "$ct")
	t_check "$B: presentielijst shows no-shows (expected, not present)" grep -q '^ws-04;p03;Emre Y\.;;yes;no;' "$OUT/last.body"
	"$H" export attendance --db "$DB" --org org-grubbehoeve --format csv >"$W/cli.csv"
	t_check "$B: export CLI writes the same CSV as the API" cmp -s "$W/att.csv" "$W/cli.csv"

	# --- clock correction: unsynced events with a wrong clock, anchor later
	local boot=11111111-2222-4333-8444-555555555555
	gen_batch "$W/u.json" 11 2 person=p03,p08 synced=0 wall0=1000 boot0=5000000000 boot=$boot uuidbase=0193a1d0
	st=$(hreq POST "$HUB_URL/v1/events" "$tok" --data-binary @"$W/u.json")
	st=$(hreq GET "$HUB_URL/v1/export/attendance.json" "$ct")
	t_eq "$B: unsynced events without anchor are uncorrectable" "uncorrectable uncorrectable" \
		"$(jget '" ".join(r["time_corrected"] for r in d if r["person_id"] in ("p03","p08"))')"
	gen_batch "$W/s.json" 13 1 person=p04 synced=1 wall0=1763820000000 boot0=65000000000 boot=$boot uuidbase=0193a1d0
	st=$(hreq POST "$HUB_URL/v1/events" "$tok" --data-binary @"$W/s.json")
	st=$(hreq GET "$HUB_URL/v1/export/attendance.json" "$ct")
	# anchor 1763820000000 at 65 s; events at 5 s and 6 s -> 60 s and 59 s earlier
	t_eq "$B: a later synced sample re-anchors them (local time, and UTC)" \
		"yes 2025-11-22T14:59:00+01:00 2025-11-22T13:59:00Z yes 2025-11-22T14:59:01+01:00 2025-11-22T13:59:01Z" \
		"$(jget '" ".join(r["time_corrected"]+" "+r["check_in"]+" "+r["check_in_utc"] for r in d if r["person_id"] in ("p03","p08"))')"

	# --- erasure
	st=$(hreq GET "$HUB_URL/v1/export/attendance.json" "$ct")
	local before; before=$(jget 'len(d), sum(r["person_id"]=="p01" for r in d)' | tr -d '(),')
	st=$(hreq GET "$HUB_URL/v1/changes" "$tokB")
	cur=$(jget 'd["cursor"]')
	"$H" erase person p01 --db "$DB" --org org-grubbehoeve >"$W/erase.out"
	st=$(hreq GET "$HUB_URL/v1/changes?cursor=$cur" "$tokB")
	t_eq "$B: erasure sends a tombstone to kiosks" "p01" "$(jget '",".join(t["person_id"] for t in d["tombstones"])')"
	st=$(hreq GET "$HUB_URL/v1/export/attendance.json" "$ct")
	# the same rows (one presence per session: p01's taps stay one presence each)
	t_eq "$B: erased person's attendance anonymised, counts kept ($before rows, of p01)" "$before 0" \
		"$(jget 'len(d), sum(r["display_name"]=="(gewist)" for r in d), sum(r["person_id"]=="p01" for r in d)' | tr -d '(),')"
	st=$(hreq POST "$HUB_URL/v1/events" "$tok" --data-binary @"$W/b1.json")
	t_eq "$B: a kiosk replaying the erased person's events is not blocked" "200 0 3" "$st $(jget 'd["stored"], d["duplicates"]' | tr -d '(),')"

	# --- exports in the location's local time (Europe/Amsterdam), DST both ways
	# 2026-10-24 21:30Z .. 2026-10-25 01:30Z hourly: 23:30, 00:30, 01:30,
	# 02:30 CEST, then 02:30 CET (clocks go back at 01:00Z); then 22:30Z and
	# 23:30Z on 2026-11-22: 23:30 on the 22nd and 00:30 on the 23rd (CET).
	gen_batch "$W/dst.json" 14 5 person=p05,p10,p11,p12,p13 wall0=1792877400000 step_ms=3600000 uuidbase=0193a1e0
	st=$(hreq POST "$HUB_URL/v1/events" "$tok" --data-binary @"$W/dst.json")
	gen_batch "$W/mid.json" 19 2 person=p06,p14 wall0=1795386600000 step_ms=3600000 uuidbase=0193a1e1
	st=$(hreq POST "$HUB_URL/v1/events" "$tok" --data-binary @"$W/mid.json")
	st=$(hreq GET "$HUB_URL/v1/export/attendance.json?from=2026-10-25&to=2026-10-25" "$ct")
	t_eq "$B: JSON: the autumn night in local time with offset, and UTC" \
		"200 2026-10-25T00:30:00+02:00/2026-10-24T22:30:00Z 2026-10-25T01:30:00+02:00/2026-10-24T23:30:00Z 2026-10-25T02:30:00+02:00/2026-10-25T00:30:00Z 2026-10-25T02:30:00+01:00/2026-10-25T01:30:00Z" \
		"$st $(jget '" ".join(r["check_in"]+"/"+r["check_in_utc"] for r in d)')"
	t_eq "$B: a local day filter takes the 25-hour day (4 rows, not the 23:30 of the 24th)" \
		"200 4 2026-10-25 Europe/Amsterdam" \
		"$st $(jget 'len(d), d[0]["date"], d[-1]["timezone"]' | tr -d "(),'")"
	st=$(hreq GET "$HUB_URL/v1/export/attendance.csv?from=2026-10-24&to=2026-10-24" "$ct")
	t_eq "$B: CSV: 21:30Z on the 24th is 23:30 local that day, offset UTC+02:00" \
		"200 2026-10-24;2026-10-24 23:30:00 UTC+02:00" \
		"$st $(python3 -c 'import csv,sys; r=list(csv.DictReader(open(sys.argv[1],encoding="utf-8-sig"),delimiter=";")); print(len(r)==1 and r[0]["date"]+";"+r[0]["check_in"]+" "+r[0]["utc_offset"])' "$OUT/last.body")"
	"$H" export attendance --db "$DB" --org org-grubbehoeve --from 2026-10-25 --to 2026-10-25 >"$W/dst.csv"
	t_check "$B: CSV: 02:30 twice on the autumn night, told apart by utc_offset (CLI)" \
		python3 -c 'import csv,sys; r=list(csv.DictReader(open(sys.argv[1],encoding="utf-8-sig"),delimiter=";")); t=[(x["check_in"],x["utc_offset"]) for x in r]; sys.exit(0 if t[-2:]==[("2026-10-25 02:30:00","UTC+02:00"),("2026-10-25 02:30:00","UTC+01:00")] and len(t)==4 and t[0]==("2026-10-25 00:30:00","UTC+02:00") else 1)' "$W/dst.csv"
	st=$(hreq GET "$HUB_URL/v1/export/attendance.json?from=2026-11-22&to=2026-11-22" "$ct")
	t_eq "$B: day filter at local midnight: 22:30Z belongs to the 22nd" \
		"200 2026-11-22T23:30:00+01:00" "$st $(jget '" ".join(r["check_in"] for r in d)')"
	"$H" export attendance --db "$DB" --org org-grubbehoeve --from 2026-11-23 --to 2026-11-23 --format json >"$W/mid.json.out"
	t_eq "$B: day filter at local midnight: 23:30Z belongs to the 23rd (CLI)" \
		"2026-11-23 2026-11-23T00:30:00+01:00 2026-11-22T23:30:00Z" \
		"$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(" ".join(x for r in d for x in (r["date"], r["check_in"], r["check_in_utc"])))' "$W/mid.json.out")"
	# a location in another zone: its rows in its own local time and day
	"$H" location create --db "$DB" --org org-grubbehoeve --id loc-ny --name "New York" \
		--timezone America/New_York >/dev/null
	local tokNY; tokNY=$(enrol "$("$H" device create --db "$DB" --location loc-ny | tail -n 1)")
	gen_batch "$W/ny.json" 1 1 person=p07 session= wall0=1795386600000 uuidbase=0193a1e2
	st=$(hreq POST "$HUB_URL/v1/events" "$tokNY" --data-binary @"$W/ny.json")
	st=$(hreq GET "$HUB_URL/v1/export/attendance.json?from=2026-11-22&to=2026-11-22&location=loc-ny" "$ct")
	t_eq "$B: a New York location shows New York time (22:30Z = 17:30-05:00)" \
		"200 2026-11-22T17:30:00-05:00 America/New_York UTC-05:00" \
		"$st $(jget '" ".join(r["check_in"]+" "+r["timezone"]+" "+r["utc_offset"] for r in d)')"
	st=$(hreq GET "$HUB_URL/v1/export/attendance.json?from=2026-11-22&to=2026-11-22" "$ct")
	t_eq "$B: one day filter, each row by its own location's day" "200 loc-grubbehoeve loc-ny" \
		"$st $(jget '" ".join(r["location_id"] for r in d)')"
	"$H" export attendance --db "$DB" --from 2026-11-23 --to 2026-11-22 >"$W/empty.csv"
	t_eq "$B: an empty day range gives only the header" 1 "$(grep -c $'\r$' "$W/empty.csv")"

	# --- CSV import: line-numbered, all or nothing
	printf 'person_id;display_name;language\r\npn1;Nieuw Een;nl\r\npn2;Nieuw Twee;klingon-long\r\n' >"$W/bad.csv"
	"$H" import people "$W/bad.csv" --db "$DB" --org org-grubbehoeve >/dev/null 2>"$W/bad.err"
	t_check "$B: import error names file and line" grep -q 'bad.csv line 3' "$W/bad.err"
	st=$(hreq GET "$HUB_URL/v1/changes?cursor=$cur" "$tokB")
	t_eq "$B: a failed import leaves nothing behind" "" "$(jget '",".join(p["id"] for p in d["people"] if p["id"].startswith("pn"))')"
	printf 'person_id;card_uid\np02;0412345678\n' >"$W/cards.csv"
	"$H" import cards "$W/cards.csv" --db "$DB" --org org-grubbehoeve >/dev/null 2>"$W/cards.err"
	t_check "$B: a malformed card UID is refused without echoing it" \
		bash -c "grep -q 'cards.csv line 2' '$W/cards.err' && ! grep -q 0412345678 '$W/cards.err'"

	# --- revocation
	"$H" device create --db "$DB" --location loc-b >"$W/dev2"
	tokB2=$(enrol "$(tail -n 1 "$W/dev2")")
	st=$(hreq GET "$HUB_URL/v1/changes" "$tokB2")
	t_eq "$B: a new device pulls with its token" 200 "$st"
	"$H" device revoke --db "$DB" --id "$(head -n 1 "$W/dev2")" >/dev/null
	st=$(hreq GET "$HUB_URL/v1/changes" "$tokB2")
	t_eq "$B: a revoked device's token is 401" 401 "$st"
	st=$(hreq POST "$HUB_URL/v1/events" "$tokB2" --data-binary @"$W/b1.json")
	t_eq "$B: a revoked device cannot push" 401 "$st"

	# --- rate limits
	for _ in 1 2 3 4 5; do hreq POST "$HUB_URL/v1/login" "" -d '{"email":"coord@x.example","password":"nope-nope-nope"}' >/dev/null; done
	st=$(hreq POST "$HUB_URL/v1/login" "" -d '{"email":"coord@x.example","password":"coordinator-x-password"}')
	t_eq "$B: 5 failed logins lock the account (429 + Retry-After)" "429 1" "$st $(grep -ci '^retry-after: [0-9]' "$OUT/last.headers")"
	for _ in $(seq 1 12); do st=$(hreq POST "$HUB_URL/v1/enrol" "" -d '{"code":"AAAA-BBBB-CCCC"}'); done
	t_eq "$B: enrolment attempts are rate-limited (429 + Retry-After)" "429 1" "$st $(grep -ci '^retry-after: [0-9]' "$OUT/last.headers")"
	hub_stop_all
}
