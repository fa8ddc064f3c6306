#!/usr/bin/env bash
# sync_tls.sh — presentie-sync's TLS policy against an HTTPS endpoint on
# loopback with a throwaway self-signed certificate (openssl + python3's ssl;
# the endpoint answers /v1/enrol like a hub, nothing more: this tests the
# client's certificate handling, the hub's API is tested with the real hub):
#   - an unknown certificate is refused (verification is always on)
#   - with --ca naming the certificate, enrolment works
#   - a wrong --pin (sha256//...) is refused even with the right CA
#   - the right --pin works, and is stored for later runs
#   - plain http:// to a non-loopback host is refused before any connection
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
SYNC=$BUILD/presentie-sync
FILL=$BUILD/bench/sync_fill
if [ ! -x "$SYNC" ] || [ ! -x "$FILL" ]; then
	t_fail "binaries" "make tests first"
	exit 1
fi
SRV_PID=
trap '[ -n "$SRV_PID" ] && kill "$SRV_PID" 2>/dev/null' EXIT

openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" \
    -addext "subjectAltName=IP:127.0.0.1" -keyout "$OUT/key.pem" -out "$OUT/cert.pem" \
    >"$OUT/openssl.log" 2>&1 || { t_fail "certificate" "openssl failed"; exit 1; }
PIN="sha256//$(openssl x509 -in "$OUT/cert.pem" -pubkey -noout | openssl pkey -pubin -outform der |
    openssl dgst -sha256 -binary | openssl enc -base64)"
PORT=$(free_port)
python3 - "$PORT" "$OUT/cert.pem" "$OUT/key.pem" >"$OUT/server.log" 2>&1 <<'EOF' &
import http.server, json, ssl, sys
port, cert, key = int(sys.argv[1]), sys.argv[2], sys.argv[3]
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        try:
            req = json.loads(self.rfile.read(n))
        except ValueError:
            req = {}
        body = json.dumps({"device_id": "dev-tls", "token": "T" * 43,
            "organisation": {"id": "org-1", "name": "Org"},
            "location": {"id": "loc-1", "name": "Zaal", "timezone": "Europe/Amsterdam"},
            "org_key": "ab" * 32, "server_time": "2026-11-22T13:52:07.120Z",
            "echo_code": req.get("code")}).encode()
        self.send_response(200 if self.path == "/v1/enrol" else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
srv = http.server.HTTPServer(("127.0.0.1", port), H)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
srv.serve_forever()
EOF
SRV_PID=$!
URL="https://127.0.0.1:$PORT"
wait_until 10 curl -s -o /dev/null --cacert "$OUT/cert.pem" -X POST "$URL/v1/x" ||
    { t_fail "tls server" "did not start"; exit 1; }

enrol() {   # NAME EXPECT(0|fail) ARGS...: a fresh store each time
	local name=$1 expect=$2 db out rc
	shift 2
	db=$OUT/$(echo "$name" | tr -c 'a-z0-9' _).db
	rm -f "$db"*
	"$FILL" init "$db" >/dev/null
	out=$("$SYNC" enrol --db "$db" --code ABCD-EFGH "$@" 2>&1)
	rc=$?
	if [ "$expect" = 0 ] && [ "$rc" -eq 0 ]; then
		t_ok "$name"
	elif [ "$expect" != 0 ] && [ "$rc" -ne 0 ] && grep -qi "$expect" <<<"$out"; then
		t_ok "$name: $(cut -c1-140 <<<"$out")"
	else
		t_fail "$name" "rc $rc: $out"
	fi
	LAST_DB=$db
}

enrol "unknown certificate refused" "certificate" --hub "$URL"
enrol "certificate refused without --ca even with the right pin" "certificate" --hub "$URL" --pin "$PIN"
enrol "enrol with --ca" 0 --hub "$URL" --ca "$OUT/cert.pem"
enrol "wrong pin refused" "public key\|pinned" --hub "$URL" --ca "$OUT/cert.pem" \
    --pin "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
enrol "right pin accepted" 0 --hub "$URL" --ca "$OUT/cert.pem" --pin "$PIN"
stored=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"SELECT value FROM meta WHERE key='hub_pinned_pubkey'\").fetchone()[0])" "$LAST_DB")
t_eq "pin stored for later runs" "$PIN" "$stored"
enrol "plain http to another host refused" "must be https" --hub "http://192.0.2.1:8080"
t_done
