# shellcheck shell=bash disable=SC2034  # SCALE_* are read by the scripts that source this
# scale.sh — several hubs on one database behind the shipped nginx config, and
# an organisation of many kiosks and coordinators for them (sourced, not run;
# needs tests/lib.sh and hub_lib/hub.sh). Used by tests/bench/scale_bench.sh
# and tests/integration/hub_scale.sh. nginx runs from a copy of
# provisioning/nginx/presentie-hub.conf in which only what must change for a
# test changes: loopback ports instead of 80/443 (no IPv6 listener), a
# self-signed certificate made here, logs in $OUT, and one `server` line per
# hub in its `upstream` block; limits, timeouts and proxy headers stay. One
# addition: $NGINX_DIR/upstream.log says which hub answered each request.
NGINX_DIR='' NGINX_PORT='' NGINX_PID=''
SCALE_LOAD=$BUILD/bench/scale_load
SCALE_PER_LOC=20   # kiosks per location

# nginx_start HUB_ADDR...: start nginx in front of these ADDR:PORT hubs on
# https://127.0.0.1:$NGINX_PORT (CA file $NGINX_DIR/hub.crt). 1 if it failed.
nginx_start() {
	local ngx up='' a
	ngx=$(command -v nginx || echo /usr/sbin/nginx)
	[ -x "$ngx" ] || { echo "nginx missing (provisioning/deps.sh bench)" >&2; return 1; }
	NGINX_PORT=$(free_port)
	NGINX_DIR=$OUT/nginx-$NGINX_PORT   # one per start: a run's logs stay for the next
	rm -rf "$NGINX_DIR" && mkdir -p "$NGINX_DIR/tmp" && chmod 0777 "$NGINX_DIR/tmp"
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
		-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
		-keyout "$NGINX_DIR/hub.key" -out "$NGINX_DIR/hub.crt" 2>/dev/null || return 1
	for a in "$@"; do up+="server $a; "; done
	sed -e "s|server @UPSTREAM@;|$up|" \
		-e "s|@SERVER_NAME@|127.0.0.1|g" -e "s|@CERT@|$NGINX_DIR/hub.crt|" -e "s|@KEY@|$NGINX_DIR/hub.key|" \
		-e "s|^\([[:space:]]*\)listen 80;|\1listen 127.0.0.1:$(free_port);|" \
		-e "s|^\([[:space:]]*\)listen 443 ssl http2;|\1listen 127.0.0.1:$NGINX_PORT ssl http2;|" \
		-e '/listen \[::\]/d' -e "s|/var/log/presentie-hub/|$NGINX_DIR/|" \
		-e "s|/var/www/letsencrypt|$NGINX_DIR/acme|" \
		-e "s|^\([[:space:]]*\)access_log .*|&\n\1access_log $NGINX_DIR/upstream.log presentie_upstream;|" \
		provisioning/nginx/presentie-hub.conf >"$NGINX_DIR/site.conf" || return 1
	# The main file stands in for Debian's /etc/nginx/nginx.conf, with
	# worker_connections raised from its 768: a client and its upstream
	# connection each take one, and 1 000 kiosks keep theirs open.
	cat >"$NGINX_DIR/nginx.conf" <<-EOF
	worker_processes auto;
	worker_rlimit_nofile 16384;
	pid $NGINX_DIR/nginx.pid;
	error_log $NGINX_DIR/error.log warn;
	events { worker_connections 8192; }
	http {
		client_body_temp_path $NGINX_DIR/tmp/body;
		proxy_temp_path $NGINX_DIR/tmp/proxy;
		fastcgi_temp_path $NGINX_DIR/tmp/fastcgi;
		uwsgi_temp_path $NGINX_DIR/tmp/uwsgi;
		scgi_temp_path $NGINX_DIR/tmp/scgi;
		# which hub answered (tests: every hub gets requests); an addition
		log_format presentie_upstream '\$upstream_addr \$status \$request_method \$uri';
		include $NGINX_DIR/site.conf;
	}
	EOF
	"$ngx" -t -q -p "$NGINX_DIR" -c "$NGINX_DIR/nginx.conf" >&2 || return 1
	"$ngx" -p "$NGINX_DIR" -c "$NGINX_DIR/nginx.conf" >&2 || return 1
	wait_until 10 test -s "$NGINX_DIR/nginx.pid" || return 1
	NGINX_PID=$(cat "$NGINX_DIR/nginx.pid")
	wait_until 30 curl -sf --cacert "$NGINX_DIR/hub.crt" "https://127.0.0.1:$NGINX_PORT/v1/health" -o /dev/null
}

nginx_stop() {
	[ -n "$NGINX_PID" ] || return 0
	kill "$NGINX_PID" 2>/dev/null
	for _ in $(seq 1 100); do kill -0 "$NGINX_PID" 2>/dev/null || break; sleep 0.05; done
	kill -9 "$NGINX_PID" 2>/dev/null
	NGINX_PID=
}

# scale_hubs DB N [serve options...]: start N hubs on DB behind a trusted
# proxy at 127.0.0.1 (the enrolment rate raised: the bench enrols every kiosk
# at once). Sets SCALE_ADDRS (ADDR:PORT...) and SCALE_HUB_PIDS. 1 if one did
# not come up.
scale_hubs() {
	local db=$1 n=$2 i
	shift 2
	SCALE_ADDRS=() SCALE_HUB_PIDS=()
	for i in $(seq 1 "$n"); do
		hub_start "$db" --trusted-proxy 127.0.0.1 --enrol-rate 100000 "$@" || return 1
		SCALE_ADDRS+=("${HUB_URL#http://}")
		SCALE_HUB_PIDS+=("${HUB_PIDS[-1]}")
	done
}

# scale_seed DB KIOSKS COORDINATORS: the demo organisation, one location per
# SCALE_PER_LOC kiosks (the demo location the first; 1 000 kiosks make 50,
# all on Today), KIOSKS enrolment codes in
# $OUT/codes ("DEVICE CODE"), COORDINATORS logins in $OUT/coords ("EMAIL
# PASSWORD": the demo coordinator and coordN@scale.test), the consenting
# people's ids comma-separated in SCALE_PERSONS.
scale_seed() {
	local db=$1 kiosks=$2 coords=$3 org loc locs i n left pw=scale-bench-pw
	"$HUB" demo --db "$db" >"$OUT/demo.out" 2>&1 || { cat "$OUT/demo.out" >&2; return 1; }
	org=$(sed -n 's/^demo organisation \([^ ]*\) .*/\1/p' "$OUT/demo.out")
	loc=$(sed -n 's/.*, location \([^:]*\):.*/\1/p' "$OUT/demo.out")
	[ -n "$org" ] && [ -n "$loc" ] || return 1
	locs=("$loc")
	for i in $(seq 2 $(((kiosks + SCALE_PER_LOC - 1) / SCALE_PER_LOC))); do
		locs+=("$("$HUB" location create --db "$db" --org "$org" --name "Scale $i" \
			--timezone Europe/Amsterdam)") || return 1
	done
	: >"$OUT/codes"
	left=$kiosks
	for loc in "${locs[@]}"; do
		n=$((left < SCALE_PER_LOC ? left : SCALE_PER_LOC))
		"$HUB" device create --db "$db" --location "$loc" --count "$n" >>"$OUT/codes" || return 1
		left=$((left - n))
	done
	echo "demo@presentie.test presentie-demo" >"$OUT/coords"   # the demo coordinator
	printf '%s\n' "$pw" >"$OUT/coord.pw"
	for i in $(seq 2 "$coords"); do
		"$HUB" coordinator create --db "$db" --org "$org" --email "coord$i@scale.test" \
			--password-file "$OUT/coord.pw" >/dev/null || return 1
		echo "coord$i@scale.test $pw" >>"$OUT/coords"
	done
	# the demo's people with consent (assets/demo/people.csv: a consent date)
	SCALE_PERSONS=$(awk -F';' 'NR > 1 && $5 != "" { print $1 }' assets/demo/people.csv | paste -sd,)
}
