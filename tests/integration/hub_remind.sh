#!/usr/bin/env bash
# hub_remind.sh — Follow-up's reminder to a no-show's contact person
# (issue 12 point 6) through the real hub on SQLite and on a PostgreSQL
# server this script starts, with a local SMTP server (python3-aiosmtpd,
# hub_lib/smtp_sink.py) on 127.0.0.1. Without --smtp-url nothing is sent:
# the answer is the prepared message (mailto). With it: the message reaches
# the programme's contact address (else the organisation's) with a Dutch
# subject and body that name the person by first name + initial only; a
# second send is refused (409) and nothing more arrives; a send the server
# did not take (502) may be tried again; only no-shows of ended sessions;
# audited; another organisation's coordinator gets 404.
# TLS (tls_cases, hub_lib/smtp_tls.py, a certificate made with openssl in
# the test's folder, trusted through `serve --smtp-ca`): with a password the
# message goes through STARTTLS, authenticated, and is delivered; smtps://
# (TLS from the first byte) too; without --smtp-ca the self-signed server is
# not trusted and nothing is sent; a server that offers no STARTTLS (but
# would take AUTH and the message in the clear) gets nothing, and the hub's
# log says why.
set -u
source tests/lib.sh
source tests/integration/hub_lib/hub.sh
source tests/integration/hub_lib/pg.sh
SINK_PID=
TLS_PID=
trap 'hub_stop_all; pg_stop; [ -n "$SINK_PID" ] && kill "$SINK_PID" 2>/dev/null; [ -n "$TLS_PID" ] && kill "$TLS_PID" 2>/dev/null' EXIT
PY=/usr/bin/python3   # Debian's, which has python3-aiosmtpd (a pyenv python3 may come first in PATH)

port_open() { python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1)' "$1" 2>/dev/null; }
sink_start() {   # sink_start PORT FILE
	"$PY" tests/integration/hub_lib/smtp_sink.py "$1" "$2" >>"$OUT/sink.log" 2>&1 &
	SINK_PID=$!
	wait_until 20 port_open "$1"
}
sink_stop() {
	kill "$SINK_PID" 2>/dev/null
	for _ in $(seq 1 100); do kill -0 "$SINK_PID" 2>/dev/null || break; sleep 0.05; done
	SINK_PID=
}
mails() { [ -f "$1" ] && wc -l <"$1" | tr -d ' ' || echo 0; }
NAUGHTY='Taal & café "☕" =?UTF-8?B?SGk=?= <b>x</b>; Ω≈ç√ 𝕿𝖍𝖊 😀 ‪test‪ Bcc: x@evil.test — een titel die over meer woorden gaat'
remind() { hreq POST "$HUB_URL/v1/dash/followup/remind" "$1" -d "{\"person_id\":\"$2\",\"session_id\":\"$3\"}"; }

remind_cases() {
	local B=$1 DB=$2 W=$OUT/$1 ct ctX st sp box
	mkdir -p "$W"
	box=$W/mail.jsonl
	sp=$(free_port)
	sink_start "$sp" "$box" || { t_fail "$B: smtp sink starts" "see $OUT/sink.log"; return; }
	"$HUB" demo --db "$DB" >/dev/null 2>&1
	"$HUB" org create --db "$DB" --id org-x --name "Organisatie X" >/dev/null
	echo "coordinator-x-password" | "$HUB" coordinator create --db "$DB" --org org-x --email coord@x.example >/dev/null

	# 1. No mail server configured: prepared, never sent.
	hub_start "$DB" || { t_fail "$B: hub starts" "no health answer"; return; }
	ct=$(login demo@presentie.test presentie-demo)
	ctX=$(login coord@x.example coordinator-x-password)
	st=$(remind "$ct" p01 ws-03)
	t_eq "$B: no contact address yet: 409 no_contact" "409 no_contact" "$st $(jget 'd["error"]')"
	st=$(hreq PUT "$HUB_URL/v1/dash/followup/contact" "$ct" -d '{"programme_id":"mjew-najaar","email":"begeleider@trudo.test"}')
	t_eq "$B: the programme's contact address set" 200 "$st"
	t_eq "$B: a bad address is 400" 400 "$(hreq PUT "$HUB_URL/v1/dash/followup/contact" "$ct" -d '{"email":"a@b.c\r\nBcc: x@y.z"}')"
	st=$(remind "$ct" p01 ws-03)
	t_eq "$B: without a mail server the answer is 'prepared' with a mailto link" \
		"200 prepared begeleider@trudo.test True" \
		"$st $(jget 'd["state"], d["to"], d["mailto"].startswith("mailto:begeleider@trudo.test?subject=Afwezig%3A%20Fatima%20E.%20bij%20")')"
	t_eq "$B: ... and nothing was sent or recorded" "0 0" \
		"$(mails "$box") $(dbq "$B" "$DB" "SELECT COUNT(*) FROM reminders")"
	t_eq "$B: the mail server state is shown to the page" "200 False" \
		"$(hreq GET "$HUB_URL/v1/dash/followup/contact" "$ct") $(jget 'd["mail_server"]')"
	# ws-03 gets a naughty title (the subject carries it: RFC 2047 words, no header injection).
	python3 -c 'import json,sys; print(json.dumps({"title": sys.argv[1]}))' "$NAUGHTY" >"$W/title.json"
	t_eq "$B: ws-03 renamed to a naughty title" 200 \
		"$(hreq PATCH "$HUB_URL/v1/dash/sessions/ws-03" "$ct" --data-binary @"$W/title.json")"
	hub_stop_all

	# 2. With the local SMTP server.
	hub_start "$DB" --smtp-url "smtp://127.0.0.1:$sp" --smtp-from presentie@grubbehoeve.test ||
		{ t_fail "$B: hub with --smtp-url starts" "no health answer"; return; }
	ct=$(login demo@presentie.test presentie-demo)
	ctX=$(login coord@x.example coordinator-x-password)
	st=$(remind "$ct" p01 ws-03)
	t_eq "$B: sent: 200 sent, one message in the box" "200 sent 1" "$st $(jget 'd["state"]') $(mails "$box")"
	t_eq "$B: to the programme's contact, from the configured sender" \
		"['begeleider@trudo.test'] presentie@grubbehoeve.test" \
		"$(python3 -c 'import json,sys; m=json.loads(open(sys.argv[1]).readlines()[-1]); print(m["rcpt"], m["from"])' "$box")"
	t_eq "$B: subject in Dutch: first name + initial and the (naughty) session title, intact" \
		"Afwezig: Fatima E. bij $NAUGHTY" \
		"$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readlines()[-1])["subject"])' "$box")"
	t_eq "$B: body in Dutch with the local date and time, no ids" "True True True False" \
		"$(python3 -c 'import json,sys,re; b=json.loads(open(sys.argv[1]).readlines()[-1])["body"]; print("Fatima E. was niet aanwezig bij" in b, "Maak je eigen Werk, najaar" in b, bool(re.search(r" op (maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag) \d+ [a-z]+ 20\d\d om \d\d:\d\d", b)), "p01" in b)' "$box")"
	st=$(remind "$ct" p01 ws-03)
	t_eq "$B: a second send is refused (409 already_sent), nothing more arrives" "409 already_sent 1" \
		"$st $(jget 'd["error"]') $(mails "$box")"
	st=$(hreq GET "$HUB_URL/v1/dash/followup/noshows?session=ws-03" "$ct")
	t_eq "$B: the no-show list says p01 was reminded" "200 True" \
		"$st $(jget '[x["reminded"] is not None for x in d["no_shows"] if x["person_id"] == "p01"][0]')"
	t_eq "$B: audited once as reminder.sent" 1 \
		"$(dbq "$B" "$DB" "SELECT COUNT(*) FROM audit_log WHERE action = 'reminder.sent' AND target = 'p01' AND detail = 'ws-03'")"
	t_eq "$B: a running session (ws-04) has no no-shows to remind: 409" 409 "$(remind "$ct" p02 ws-04)"
	t_eq "$B: org-x's coordinator: our person and session are 404" 404 "$(remind "$ctX" p02 ws-03)"

	# The organisation's address when the programme has none.
	hreq PUT "$HUB_URL/v1/dash/followup/contact" "$ct" -d '{"programme_id":"mjew-najaar","email":null}' >/dev/null
	hreq PUT "$HUB_URL/v1/dash/followup/contact" "$ct" -d '{"email":"coordinatie@grubbehoeve.test"}' >/dev/null
	st=$(remind "$ct" p02 ws-03)
	t_eq "$B: without a programme address it goes to the organisation's" \
		"200 2 ['coordinatie@grubbehoeve.test']" \
		"$st $(mails "$box") $(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readlines()[-1])["rcpt"])' "$box")"

	# Two coordinators press at once: one message, the other 409.
	local pids=() i
	for i in 1 2; do
		curl -s -m 30 -o /dev/null -w '%{http_code}\n' -X POST -H "Authorization: Bearer $ct" \
			-d '{"person_id":"p07","session_id":"ws-03"}' "$HUB_URL/v1/dash/followup/remind" >"$W/par$i.txt" &
		pids+=($!)
	done
	wait "${pids[@]}"   # only these two: the SMTP sink runs in the background too
	cat "$W/par1.txt" "$W/par2.txt" >"$W/par.txt"
	t_eq "$B: two sends at once: one 200, one 409, one message" "200 409 3" \
		"$(sort "$W/par.txt" | tr '\n' ' ')$(mails "$box")"

	# The server is down: 502, recorded as failed; once it is back the send may be retried.
	sink_stop
	st=$(remind "$ct" p03 ws-03)
	t_eq "$B: mail server down: 502 mail_failed, state failed" "502 failed" \
		"$st $(dbq "$B" "$DB" "SELECT state FROM reminders WHERE person_id = 'p03' AND session_id = 'ws-03'")"
	sink_start "$sp" "$box" || t_fail "$B: smtp sink restarts" "see $OUT/sink.log"
	st=$(remind "$ct" p03 ws-03)
	t_eq "$B: retried after the failure: sent" "200 4" "$st $(mails "$box")"
	hub_stop_all

	# A password only goes over TLS: this server offers no STARTTLS, so nothing is sent.
	printf 'presentie\nS3cret-never-logged\n' >"$W/smtp.cred"
	hub_start "$DB" --smtp-url "smtp://127.0.0.1:$sp" --smtp-from presentie@grubbehoeve.test \
		--smtp-credentials "$W/smtp.cred" || { t_fail "$B: hub with credentials starts" "no health answer"; return; }
	ct=$(login demo@presentie.test presentie-demo)
	st=$(remind "$ct" p04 ws-03)
	t_eq "$B: with credentials and no STARTTLS on offer: 502, nothing sent" "502 4" "$st $(mails "$box")"
	t_eq "$B: the password is in no log and no answer" 0 "$(cat "$OUT"/hub-*.log "$OUT/last.body" | grep -c 'S3cret-never-logged')"
	st=$(hreq POST "$HUB_URL/v1/dash/people/p01/erase" "$ct" -d '{"confirm":"Fatima E."}')
	t_eq "$B: erasing p01 (AVG) deletes the record of its reminder" "200 0" \
		"$st $(dbq "$B" "$DB" "SELECT COUNT(*) FROM reminders WHERE person_id = 'p01'")"
	# Bounded: 60 sends (tried, sent or failed) per organisation per hour; 6 came before
	# (p01, p02, p07, p03 twice, p04); refused ones (409/404) do not count.
	t_eq "$B: then 54 more tries, then 429 with Retry-After" "502:54 429:6 retry" \
		"$(for _ in $(seq 1 60); do remind "$ct" p04 ws-03; echo; done | sort | uniq -c | sort -k2 -r | awk '{printf "%s:%s ", $2, $1}')$(grep -qi '^retry-after: [1-9]' "$OUT/last.headers" && echo retry)"
	hub_stop_all
	sink_stop
	timeout 10 "$HUB" serve --db "$DB" --listen 127.0.0.1:0 --smtp-url "smtp://u:p@127.0.0.1:$sp" \
		--smtp-from a@b.test >"$W/bad.out" 2>&1
	t_eq "$B: serve refuses credentials in --smtp-url (exit 1, secret not echoed)" "1 0" \
		"$? $(grep -c 'u:p' "$W/bad.out")"
}

# tls_start MODE PORT FILE DIR: smtp_tls.py with DIR's certificate; tls_stop.
tls_start() {
	"$PY" tests/integration/hub_lib/smtp_tls.py "$1" "$2" "$3" "$4/cert.pem" "$4/key.pem" \
		presentie 'S3cret-tls' >>"$OUT/smtp_tls.log" 2>&1 &
	TLS_PID=$!
	wait_until 20 port_open "$2"
}
tls_stop() {
	[ -n "$TLS_PID" ] || return 0
	kill "$TLS_PID" 2>/dev/null
	for _ in $(seq 1 100); do kill -0 "$TLS_PID" 2>/dev/null || break; sleep 0.05; done
	TLS_PID=
}
last_mail() { python3 -c 'import json,sys; m=json.loads(open(sys.argv[1]).readlines()[-1]); print(m["tls"], m["user"], m["rcpt"][0])' "$1"; }

tls_cases() {
	local B=$1 DB=$2 W=$OUT/$1-tls ct st tp box opts
	mkdir -p "$W"
	box=$W/mail.jsonl
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$W/key.pem" -out "$W/cert.pem" -days 2 \
		-subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" >/dev/null 2>&1
	t_check "$B: a self-signed certificate for 127.0.0.1 (openssl)" test -s "$W/cert.pem"
	printf 'presentie\nS3cret-tls\n' >"$W/smtp.cred"
	"$HUB" demo --db "$DB" >/dev/null 2>&1
	opts=(--smtp-from presentie@grubbehoeve.test --smtp-credentials "$W/smtp.cred")

	# STARTTLS with AUTH, the certificate trusted through --smtp-ca
	tp=$(free_port)
	tls_start starttls "$tp" "$box" "$W" || { t_fail "$B: STARTTLS server starts" "see $OUT/smtp_tls.log"; return; }
	hub_start "$DB" --smtp-url "smtp://127.0.0.1:$tp" "${opts[@]}" --smtp-ca "$W/cert.pem" ||
		{ t_fail "$B: hub with --smtp-ca starts" "no health answer"; return; }
	ct=$(login demo@presentie.test presentie-demo)
	hreq PUT "$HUB_URL/v1/dash/followup/contact" "$ct" -d '{"email":"coordinatie@grubbehoeve.test"}' >/dev/null
	st=$(remind "$ct" p01 ws-03)
	t_eq "$B: STARTTLS + AUTH: sent, delivered encrypted and authenticated" \
		"200 sent 1 True presentie coordinatie@grubbehoeve.test" "$st $(jget 'd["state"]') $(mails "$box") $(last_mail "$box")"
	hub_stop_all

	# the same server without --smtp-ca: its certificate is not trusted, nothing sent
	hub_start "$DB" --smtp-url "smtp://127.0.0.1:$tp" "${opts[@]}" ||
		{ t_fail "$B: hub without --smtp-ca starts" "no health answer"; return; }
	ct=$(login demo@presentie.test presentie-demo)
	st=$(remind "$ct" p02 ws-03)
	t_eq "$B: without --smtp-ca the self-signed server is not trusted: 502, nothing sent" "502 1" "$st $(mails "$box")"
	hub_stop_all
	tls_stop

	# a server that offers no STARTTLS yet would take AUTH and the message in the clear
	tp=$(free_port)
	tls_start plain "$tp" "$box" "$W" || { t_fail "$B: plain server starts" "see $OUT/smtp_tls.log"; return; }
	hub_start "$DB" --smtp-url "smtp://127.0.0.1:$tp" "${opts[@]}" --smtp-ca "$W/cert.pem" ||
		{ t_fail "$B: hub starts" "no health answer"; return; }
	ct=$(login demo@presentie.test presentie-demo)
	st=$(remind "$ct" p03 ws-03)
	t_eq "$B: no STARTTLS on offer: 502 mail_failed, nothing sent in the clear" "502 mail_failed 1" \
		"$st $(jget 'd["error"]') $(mails "$box")"
	t_check "$B: ... and the hub's log says why" grep -q "offers no STARTTLS" "$OUT/hub-${HUB_URL##*:}.log"
	hub_stop_all
	tls_stop

	# smtps://: TLS from the first byte
	tp=$(free_port)
	tls_start smtps "$tp" "$box" "$W" || { t_fail "$B: smtps server starts" "see $OUT/smtp_tls.log"; return; }
	hub_start "$DB" --smtp-url "smtps://127.0.0.1:$tp" "${opts[@]}" --smtp-ca "$W/cert.pem" ||
		{ t_fail "$B: hub with smtps:// starts" "no health answer"; return; }
	ct=$(login demo@presentie.test presentie-demo)
	st=$(remind "$ct" p04 ws-03)
	t_eq "$B: smtps:// (implicit TLS) + AUTH: sent, delivered encrypted" \
		"200 sent 2 True presentie coordinatie@grubbehoeve.test" "$st $(jget 'd["state"]') $(mails "$box") $(last_mail "$box")"
	t_eq "$B: the password is in no log" 0 "$(cat "$OUT"/hub-*.log | grep -c 'S3cret-tls')"
	hub_stop_all
	tls_stop
	timeout 10 "$HUB" serve --db "$DB" --listen 127.0.0.1:0 --smtp-ca "$W/cert.pem" >"$W/noca.out" 2>&1
	t_eq "$B: --smtp-ca without --smtp-url is refused" "1 1" "$? $(grep -c 'needs --smtp-url' "$W/noca.out")"
	timeout 10 "$HUB" serve --db "$DB" --listen 127.0.0.1:0 --smtp-url "smtp://127.0.0.1:$tp" \
		--smtp-from a@b.test --smtp-ca "$W/nope.pem" >"$W/noca.out" 2>&1
	t_eq "$B: an unreadable --smtp-ca is refused" "1 1" "$? $(grep -c 'cannot read' "$W/noca.out")"
}

rm -f "$OUT"/*.db*
remind_cases sqlite "sqlite:$OUT/remind.db"
tls_cases sqlite "sqlite:$OUT/remind-tls.db"
if pg_start; then
	remind_cases postgresql "$(pg_createdb presentie_remind)"
	tls_cases postgresql "$(pg_createdb presentie_remind_tls)"
else
	t_fail "postgresql: server starts" "see output above"
fi
t_done
