#!/usr/bin/env bash
# hub_import.sh — coordinators import people, enrolments and role
# assignments from the dashboard (issue 12 point 1): POST
# /v1/dash/import/KIND[?dry_run=1] with a .csv (';' + BOM + CRLF, or ',')
# or an .xlsx made by openpyxl, against the real hub on SQLite and on a
# PostgreSQL server this script starts. A file with problems lists them by
# line and column and imports nothing; the Big List of Naughty Strings as
# display names is stored exactly or refused per line; a zip bomb, a
# damaged .xlsx and a too large body are refused; cookie writes need CSRF;
# every import is audited with its row count.
set -u
source tests/lib.sh
source tests/integration/hub_lib/hub.sh
source tests/integration/hub_lib/pg.sh
trap 'hub_stop_all; pg_stop' EXIT
PY=/usr/bin/python3   # Debian's, with python3-openpyxl

# names B DB PREFIX: {"id": "display_name"} of the org's people with ids PREFIX*, as JSON.
names() {
	if [ "$1" = sqlite ]; then
		dbq "$1" "$2" "SELECT COALESCE(json_group_object(id, display_name), '{}') FROM people WHERE id LIKE '$3%'"
	else
		dbq "$1" "$2" "SELECT COALESCE(json_object_agg(id, display_name), '{}') FROM people WHERE id LIKE '$3%'"
	fi | "$PY" -c 'import json,sys; print(json.dumps(json.load(sys.stdin), ensure_ascii=False, separators=(",", ":"), sort_keys=True))'
}
# imp KIND FILE TOKEN [QUERY] [curl args]: POST the file; prints the status.
imp() {
	local k=$1 f=$2 t=$3 q=${4:-}; shift 4
	hreq POST "$HUB_URL/v1/dash/import/$k$q" "$t" --data-binary @"$f" "$@"
}

import_cases() {
	local B=$1 DB=$2 W=$OUT/$1 ct st jar csrf
	mkdir -p "$W"
	"$HUB" demo --db "$DB" >/dev/null 2>&1
	hub_start "$DB" || { t_fail "$B: hub starts" "no health answer"; return; }
	ct=$(login demo@presentie.test presentie-demo)
	t_check "$B: a coordinator logged in" test -n "$ct"

	# --- Dutch Excel CSV: ';', BOM, CRLF
	printf '\xef\xbb\xbfperson_id;display_name;language;roles\r\nim1;"Fatma ""Fa"" Yıldız";tr;\r\nim2;Jan, de Vries;nl;coordinator\r\n' >"$W/nl.csv"
	st=$(imp people "$W/nl.csv" "$ct" "?dry_run=1" -H 'Content-Type: text/csv')
	t_eq "$B: dry run of a ';' CSV with BOM: 2 rows, no problems, preview, nothing stored" \
		"200 2 0 0 im1,im2 {}" \
		"$st $(jget '"%s %s %s %s" % (d["rows"], d["errors_total"], d["imported"], ",".join(r["cells"][0] for r in d["preview"]))') $(names "$B" "$DB" im)"
	st=$(imp people "$W/nl.csv" "$ct" "" -H 'Content-Type: text/csv')
	t_eq "$B: import of a ';' CSV with BOM stores both names exactly" \
		'200 2 {"im1":"Fatma \"Fa\" Yıldız","im2":"Jan, de Vries"}' \
		"$st $(jget 'd["imported"]') $(names "$B" "$DB" im)"

	# --- plain ',' CSV (LF)
	printf 'person_id,display_name\nim3,"Piet; Jansen"\nim4,Anna\n' >"$W/en.csv"
	st=$(imp people "$W/en.csv" "$ct" "")
	t_eq "$B: a ',' CSV imports" '200 2 "Piet; Jansen"' \
		"$st $(jget 'd["imported"]') $(dbq "$B" "$DB" "SELECT '\"' || display_name || '\"' FROM people WHERE id = 'im3'")"

	# --- .xlsx from openpyxl (shared strings, an empty row, a number cell)
	"$PY" - "$W/p.xlsx" <<'PY'
import sys, openpyxl
wb = openpyxl.Workbook(); ws = wb.active; ws.title = "Deelnemers"
ws.append(["person_id", "display_name", "language"])
ws.append(["ix1", "Ayşe Yılmaz", "tr"])
ws.append(["ix2", "محمد الأحمد", "ar"])
ws.append([])
ws.append(["ix3", 12345, None])
wb.save(sys.argv[1])
PY
	st=$(imp enrolments "$W/p.xlsx" "$ct" "?dry_run=1")
	t_eq "$B: an .xlsx of people sent as enrolments: the missing columns are named on line 1" \
		"200 1:programme_id" "$st $(jget '",".join("%s:%s" % (e["line"], e["column"]) for e in d["errors"])')"
	st=$(imp people "$W/p.xlsx" "$ct" "" -H 'Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
	t_eq "$B: an .xlsx imports 3 people (sheet rows 2, 3, 5), names exact" \
		'200 xlsx 3 2,3,5 {"ix1":"Ayşe Yılmaz","ix2":"محمد الأحمد","ix3":"12345"}' \
		"$st $(jget '"%s %s %s" % (d["format"], d["imported"], ",".join(str(r["line"]) for r in d["preview"]))') $(names "$B" "$DB" ix)"

	# --- enrolments and role assignments (csv and xlsx)
	printf 'programme_id;person_id;active\nmjew-najaar;im1;ja\nmjew-najaar;ix1;1\n' >"$W/enr.csv"
	st=$(imp enrolments "$W/enr.csv" "$ct" "")
	t_eq "$B: enrolments import" "200 2 2" \
		"$st $(jget 'd["imported"]') $(dbq "$B" "$DB" "SELECT COUNT(*) FROM enrolments WHERE programme_id = 'mjew-najaar' AND person_id IN ('im1', 'ix1') AND active = 1")"
	"$PY" - "$W/as.xlsx" <<'PY'
import sys, openpyxl
wb = openpyxl.Workbook(); ws = wb.active
ws.append(["session_id", "person_id", "role"])
ws.append(["ws-04", "im2", "catering"])
wb.save(sys.argv[1])
PY
	st=$(imp assignments "$W/as.xlsx" "$ct" "")
	t_eq "$B: a role assignment imports from .xlsx" "200 1 1" \
		"$st $(jget 'd["imported"]') $(dbq "$B" "$DB" "SELECT COUNT(*) FROM assignments WHERE session_id = 'ws-04' AND person_id = 'im2' AND role = 'catering'")"

	printf 'programme_id,title\nprog-imp,"Taalcafé ""Samen"""\n' >"$W/prog.csv"
	st=$(imp programmes "$W/prog.csv" "$ct" "")
	t_eq "$B: a programme imports" '200 1 Taalcafé "Samen"' \
		"$st $(jget 'd["imported"]') $(dbq "$B" "$DB" "SELECT title FROM programmes WHERE id = 'prog-imp'")"

	# --- problems: every one listed with line and column, nothing imported
	printf 'person_id;display_name;language\r\nie1;Goed;nl\r\nie2;Fout;klingon-long\r\nie3;;nl\r\nie 4;Spatie;nl\r\n"ie5;Open quote\r\n' >"$W/bad.csv"
	st=$(imp people "$W/bad.csv" "$ct" "")
	t_eq "$B: a file with problems: 422, each problem by line and column, nothing stored" \
		"422 3:language 4:display_name 5:person_id 6: 0 {}" \
		"$st $(jget '" ".join("%s:%s" % (e["line"], e["column"]) for e in d["errors"]) + " %s" % d["imported"]') $(names "$B" "$DB" ie)"
	printf 'programme_id;person_id\nmjew-najaar;nobody-here\nno-such-prog;im1\n' >"$W/enr-bad.csv"
	st=$(imp enrolments "$W/enr-bad.csv" "$ct" "?dry_run=1")
	t_eq "$B: enrolments of an unknown person / programme are named" "200 2:person_id 3:programme_id" \
		"$st $(jget '" ".join("%s:%s" % (e["line"], e["column"]) for e in d["errors"])')"

	# --- the Big List of Naughty Strings as display names
	"$PY" - tests/data/blns.txt "$W/blns.csv" "$W/blns.json" <<'PY'
import csv, json, sys
src, out, exp = sys.argv[1:4]
names = [l.rstrip("\n") for l in open(src, encoding="utf-8", errors="surrogateescape")]
names = [n for n in names if n and not n.startswith("#")]
with open(out, "w", encoding="utf-8", errors="surrogateescape", newline="") as f:
    w = csv.writer(f, delimiter=";", lineterminator="\r\n")
    w.writerow(["person_id", "display_name"])
    for i, n in enumerate(names):
        w.writerow(["nb%03d" % i, n])
json.dump({"nb%03d" % i: n for i, n in enumerate(names)}, open(exp, "w", encoding="utf-8", errors="surrogateescape"))
PY
	st=$(imp people "$W/blns.csv" "$ct" "?dry_run=1")
	cp "$OUT/last.body" "$W/blns-dry.json"
	t_check "$B: BLNS dry run answers 200 with line-numbered refusals only" \
		"$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(not (sys.argv[2]=="200" and d["rows"]>500 and all(e["line"]>1 and e["message"] for e in d["errors"])))' "$W/blns-dry.json" "$st"
	# drop the refused lines, import the rest, compare byte for byte
	"$PY" - "$W/blns.csv" "$W/blns-dry.json" "$W/blns-ok.csv" <<'PY'
import json, sys
lines = open(sys.argv[1], "rb").read().split(b"\r\n")
bad = {e["line"] for e in json.load(open(sys.argv[2]))["errors"]}
open(sys.argv[3], "wb").write(b"\r\n".join(l for i, l in enumerate(lines, 1) if i not in bad))
PY
	st=$(imp people "$W/blns-ok.csv" "$ct" "")
	names "$B" "$DB" nb >"$W/blns-got.json"
	t_check "$B: every BLNS name not refused is stored exactly ($st)" \
		"$PY" -c 'import json,sys; e=json.load(open(sys.argv[1],encoding="utf-8",errors="surrogateescape")); g=json.load(open(sys.argv[2])); bad={"nb%03d" % (l-2) for l in [x["line"] for x in json.load(open(sys.argv[3]))["errors"]]}; sys.exit(not (sys.argv[4]=="200" and len(g)>450 and all(e[k]==v for k,v in g.items()) and set(g)==set(e)-bad))' \
		"$W/blns.json" "$W/blns-got.json" "$W/blns-dry.json" "$st"
	t_eq "$B: the hub still answers after BLNS" 200 "$(hreq GET "$HUB_URL/v1/health" "")"

	# --- hostile files
	"$PY" - "$W/bomb.xlsx" "$W/broken.xlsx" "$W/doctype.xlsx" <<'PY'
import sys, zipfile
def book(path, sheet, extra=None):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="a" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="x" Target="worksheets/sheet1.xml"/></Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", sheet)
bomb = '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' + " " * (40 << 20) + "</sheetData></worksheet>"
book(sys.argv[1], bomb)
book(sys.argv[2], '<worksheet><sheetData><row r="1"><c t="inlineStr"><is><t>person_id</t></is></c></row><row')
book(sys.argv[3], '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><worksheet><sheetData><row r="1"><c t="inlineStr"><is><t>&b;</t></is></c></row></sheetData></worksheet>')
PY
	st=$(imp people "$W/bomb.xlsx" "$ct" "")
	t_eq "$B: a zip bomb ($(stat -c %s "$W/bomb.xlsx") bytes, 40 MiB unpacked) is refused as too large" "422 1" \
		"$st $(jget 'int("too large" in d["errors"][0]["message"])')"
	st=$(imp people "$W/broken.xlsx" "$ct" "")
	t_eq "$B: a damaged sheet is refused, naming the XML problem" "422 1" \
		"$st $(jget 'int(d["errors"][0]["message"].startswith("not an .xlsx file"))')"
	st=$(imp people "$W/doctype.xlsx" "$ct" "")
	t_eq "$B: a DOCTYPE (entity expansion) is refused" "422 1" "$st $(jget 'int("DOCTYPE" in d["errors"][0]["message"])')"
	head -c 3000 /dev/urandom >"$W/junk.bin"; printf 'PK\003\004' | cat - "$W/junk.bin" >"$W/junk.xlsx"
	st=$(imp people "$W/junk.xlsx" "$ct" "")
	t_eq "$B: random bytes after PK are refused as not a zip" "422 1" "$st $(jget 'int("zip" in d["errors"][0]["message"])')"
	head -c $((1024 * 1024 + 10)) /dev/zero | tr '\0' 'a' >"$W/big.csv"
	st=$(imp people "$W/big.csv" "$ct" "")
	t_eq "$B: a body over 1 MiB is refused" 413 "$st"
	t_eq "$B: none of it stored anything, the hub still answers" "0 200" \
		"$(dbq "$B" "$DB" "SELECT COUNT(*) FROM people WHERE id LIKE 'person%'") $(hreq GET "$HUB_URL/v1/health" "")"

	# --- the CLI uses the same service and reads .xlsx too
	"$PY" - "$W/cli.xlsx" <<'PY'
import sys, openpyxl
wb = openpyxl.Workbook(); ws = wb.active
ws.append(["person_id", "display_name"]); ws.append(["ic1", "Cli Één"])
wb.save(sys.argv[1])
PY
	t_eq "$B: presentie-hub import reads an .xlsx" "imported 1 people Cli Één" \
		"$("$HUB" import people "$W/cli.xlsx" --db "$DB" --org org-grubbehoeve 2>&1) $(dbq "$B" "$DB" "SELECT display_name FROM people WHERE id = 'ic1'")"
	"$HUB" import people "$W/bomb.xlsx" --db "$DB" --org org-grubbehoeve >/dev/null 2>"$W/cli-bomb.err"
	t_eq "$B: presentie-hub import refuses the zip bomb" "1 1" "$? $(grep -c 'too large' "$W/cli-bomb.err")"

	# --- routes, CSRF, audit
	t_eq "$B: an unknown kind is 404, GET is 405" "404 405" \
		"$(imp cards "$W/nl.csv" "$ct" "") $(hreq GET "$HUB_URL/v1/dash/import/people" "$ct")"
	jar=$W/jar.txt
	curl -s -m 30 -c "$jar" -o "$W/sess.json" -d '{"email":"demo@presentie.test","password":"presentie-demo"}' "$HUB_URL/v1/session"
	csrf=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1])).get("csrf",""))' "$W/sess.json")
	st=$(curl -s -m 30 -b "$jar" -o /dev/null -w '%{http_code}' -H "Origin: $HUB_URL" --data-binary @"$W/en.csv" "$HUB_URL/v1/dash/import/people")
	t_eq "$B: by cookie without the CSRF token: 403" 403 "$st"
	st=$(curl -s -m 30 -b "$jar" -o /dev/null -w '%{http_code}' -H "Origin: $HUB_URL" -H "X-CSRF-Token: $csrf" \
		--data-binary @"$W/en.csv" "$HUB_URL/v1/dash/import/people?dry_run=1")
	t_eq "$B: by cookie with the CSRF token: 200" 200 "$st"
	t_eq "$B: imports are audited with their row counts, dry runs and refusals are not" \
		"import.assignments:1 import.enrolments:2 import.people:2 import.people:2 import.people:3 import.programmes:1" \
		"$(dbq "$B" "$DB" "SELECT action || ':' || row_count FROM audit_log WHERE action LIKE 'import.%' AND row_count < 10 ORDER BY action, row_count" | tr '\n' ' ' | sed 's/ $//')"
	hub_stop_all
}

rm -f "$OUT"/import*.db*
import_cases sqlite "sqlite:$OUT/import.db"
if pg_start; then
	import_cases postgresql "$(pg_createdb presentie_import)"
else
	t_fail "postgresql: server starts" "see output above"
fi
t_done
