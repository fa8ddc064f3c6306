#!/usr/bin/env bash
# run.sh — the slow provisioning test (`make test-provisioning`, not in
# `make test`): install-hub.sh and install-kiosk.sh run for real inside a
# Debian bookworm root made with debootstrap, in a private mount and PID
# namespace (chroot; no systemd as PID 1, so the scripts only enable units).
# Checks: files land with the right owners and modes; a second run changes
# nothing (a manifest of paths, types, modes, owners and checksums is
# compared) and says "nothing to change"; --dry-run changes nothing; then, in
# a private network namespace (its own loopback), PostgreSQL, the hub started
# by hand from the ExecStart= line of install-hub.sh's unit as the unit's
# user, and nginx answer; a kiosk enrols through nginx's TLS with the
# self-signed certificate (when the kiosk program exists); the nightly
# backup service's command dumps and presentie-hub-restore puts it back.
# Caches under build/provisioning/: the debootstrap root (base.tar), apt's
# downloaded packages and lists, so a second run needs little network.
# Mirror: the first bookworm URI in /etc/apt/sources.list*.
# Usage: tests/provisioning/run.sh   (root; PROV_BUILD=DIR: programs built
# elsewhere from this tree, default a release build into build/provisioning/release)
# Must not: touch the host outside build/provisioning (every mount is in a
# private namespace and disappears with it); leave processes behind.
set -u
SRC=$(cd "$(dirname "$0")/../.." && pwd)
cd "$SRC" || exit 1
CACHE=$SRC/build/provisioning
WORK=$CACHE/work
R=$WORK/root
LOG=$WORK/log
T0=$(date +%s)
FAILS=0 PASSES=0
ok()   { PASSES=$((PASSES + 1)); printf 'ok - %s\n' "$1"; }
fail() { FAILS=$((FAILS + 1)); printf 'not ok - %s: %s\n' "$1" "$2"; }
skip() { printf 'skip - %s: %s\n' "$1" "$2"; }
check() { local n=$1; shift; if "$@"; then ok "$n"; else fail "$n" "failed: $*"; fi; }
eq() { if [ "$2" = "$3" ]; then ok "$1"; else fail "$1" "expected '$2', got '$3'"; fi; }
step() { printf '== %s (%ds)\n' "$*" $(($(date +%s) - T0)); }

[ "$(id -u)" -eq 0 ] || { echo "run.sh: needs root (debootstrap, chroot, namespaces)" >&2; exit 2; }
for c in debootstrap unshare chroot ip; do
	command -v $c >/dev/null || { echo "run.sh: $c missing (provisioning/deps.sh test)" >&2; exit 2; }
done
mkdir -p "$CACHE/apt-archives/partial" "$CACHE/apt-lists/partial"
# One run at a time: a second one would delete the first one's root.
exec 9>"$CACHE/.lock"
flock -n 9 || { echo "run.sh: another run is in progress ($CACHE/.lock)" >&2; exit 2; }

# --- 1. the base root (cached) ----------------------------------------------------
MIRROR=$(sed -n -E 's/^URIs: *(http[^ ]*debian)\/?$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -v security | head -n 1)
[ -n "$MIRROR" ] || MIRROR=$(awk '$1 == "deb" && $3 ~ /^bookworm$/ { print $2; exit }' /etc/apt/sources.list 2>/dev/null)
[ -n "$MIRROR" ] || { echo "run.sh: no Debian mirror in /etc/apt/sources.list*" >&2; exit 2; }
if [ ! -f "$CACHE/base.tar" ]; then
	step "debootstrap bookworm from $MIRROR"
	rm -rf "$CACHE/base-root"
	debootstrap --variant=minbase --include=systemd,systemd-sysv,udev,kmod,dbus,ca-certificates \
		--cache-dir="$CACHE/apt-archives" bookworm "$CACHE/base-root" "$MIRROR" >"$CACHE/debootstrap.log" 2>&1 ||
		{ tail -n 20 "$CACHE/debootstrap.log"; echo "run.sh: debootstrap failed" >&2; exit 1; }
	tar -C "$CACHE/base-root" -cf "$CACHE/base.tar.tmp" . && mv "$CACHE/base.tar.tmp" "$CACHE/base.tar"
	rm -rf "$CACHE/base-root"
fi
# fresh_root DIR: the cached base unpacked into DIR, with the test harness:
# packages must not start daemons in a chroot (policy-rc.d); apt uses the
# host's resolver and the Debian mirror; hub.test is this machine.
fresh_root() {
	mkdir -p "$1"
	tar -C "$1" -xf "$CACHE/base.tar"
	printf '#!/bin/sh\nexit 101\n' >"$1/usr/sbin/policy-rc.d"
	chmod 0755 "$1/usr/sbin/policy-rc.d"
	cp /etc/resolv.conf "$1/etc/resolv.conf"
	printf 'deb %s bookworm main\ndeb %s bookworm-updates main\n' "$MIRROR" "$MIRROR" >"$1/etc/apt/sources.list"
	printf '127.0.0.1 localhost hub.test\n::1 localhost ip6-localhost\n' >>"$1/etc/hosts"
	echo presentie-test >"$1/etc/hostname"
}
step "fresh root from the cached base"
rm -rf "$WORK"
mkdir -p "$LOG"
fresh_root "$R"

# --- 2. the programs and the source tree -----------------------------------------------
BUILD_DIR=${PROV_BUILD:-}
if [ -z "$BUILD_DIR" ]; then
	step "release build of the programs"
	BUILD_DIR=$CACHE/release
	make -s MODE=release BUILD="$BUILD_DIR" programs >"$LOG/build.log" 2>&1 ||
		{ tail -n 20 "$LOG/build.log"; echo "run.sh: build failed" >&2; exit 1; }
fi
BUILD_DIR=$(cd "$BUILD_DIR" && pwd)
# put_tree ROOT: the source tree as it is (tracked and new files, no build
# output) in ROOT/opt/presentie/src, the programs in ROOT/opt/presentie/build.
put_tree() {
	mkdir -p "$1/opt/presentie/src" "$1/opt/presentie/build"
	(git ls-files -co --exclude-standard -z | tar --null -T - -cf -) | tar -C "$1/opt/presentie/src" -xf -
	cp -a "$BUILD_DIR"/presentie-* "$1/opt/presentie/build/" 2>/dev/null
}
put_tree "$R"
have() { [ -x "$R/opt/presentie/build/$1" ]; }

# in_root CMD: run CMD (a bash script) chrooted into the root, in private
# mount and PID namespaces, with /proc, /sys, /dev and the apt caches
# mounted; NET=private gives it a network namespace of its own (loopback).
# shellcheck disable=SC2016  # the inner script expands its own arguments
in_root() {
	local netopt=()
	[ "${NET:-host}" = private ] && netopt=(--net)
	unshare --mount --pid --fork --kill-child "${netopt[@]}" bash -c '
		set -e
		R=$1 CACHE=$2 NET=$3
		mount --make-rprivate /
		mount -t proc proc "$R/proc"
		mount -t sysfs sys "$R/sys"
		mount --rbind /dev "$R/dev"
		mount --bind "$CACHE/apt-archives" "$R/var/cache/apt/archives"
		mount --bind "$CACHE/apt-lists" "$R/var/lib/apt/lists"
		mount -t tmpfs tmpfs "$R/run"
		mkdir -p "$R/run/lock"
		[ "$NET" = private ] && ip link set lo up
		exec chroot "$R" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
			HOME=/root LANG=C.UTF-8 TERM=dumb /bin/bash -c "$4"
	' in_root "$R" "$CACHE" "${NET:-host}" "$1"
}

# manifest: every path of the root that the scripts may touch, with type,
# mode, owner and a checksum. Left out: what changes by itself (apt's caches
# and lists, logs, the PostgreSQL data folder, /run, /tmp, /proc...).
manifest() {
	local prune=(\( -path ./proc -o -path ./sys -o -path ./dev -o -path ./run -o -path ./tmp
		-o -path ./var/cache -o -path ./var/lib/apt/lists -o -path ./var/log -o -path ./var/tmp
		-o -path ./var/lib/postgresql -o -path ./opt/presentie -o -path ./root \) -prune -o)
	(cd "$R" && find . -xdev "${prune[@]}" -printf '%p %y %m %u:%g %l\n' | sort &&
		find . -xdev "${prune[@]}" -type f -print0 | xargs -0 -r md5sum | sort -k 2)
}

HUB_ARGS="--prebuilt /opt/presentie/build --server-name hub.test"
KIOSK_ARGS="--prebuilt /opt/presentie/build --reader usb --rotate 90 --location-name 'Velsen entree'"

# --- 3. first runs ------------------------------------------------------------------------
step "install-hub.sh (first run: packages from $MIRROR)"
in_root "/opt/presentie/src/provisioning/install-hub.sh $HUB_ARGS" >"$LOG/hub-1.log" 2>&1
eq "install-hub.sh first run exits 0" 0 $?
step "install-kiosk.sh (first run, not enrolled yet)"
in_root "/opt/presentie/src/provisioning/install-kiosk.sh $KIOSK_ARGS" >"$LOG/kiosk-1.log" 2>&1
eq "install-kiosk.sh first run exits 0" 0 $?
for l in hub-1 kiosk-1; do grep -E '^(error|warning|note):' "$LOG/$l.log" | sed "s/^/  $l: /"; done

# --- 4. what landed --------------------------------------------------------------------------
# Owner names as the root knows them (the host may number users differently).
st() {
	local m u g root=${2:-$R}
	read -r m u g < <(stat -c '%a %u %g' "$root$1" 2>/dev/null) || { echo missing; return; }
	u=$(awk -F: -v i="$u" '$3 == i { print $1; exit }' "$root/etc/passwd")
	g=$(awk -F: -v i="$g" '$3 == i { print $1; exit }' "$root/etc/group")
	echo "$m $u:$g"
}
eq "/etc/presentie" "755 root:root" "$(st /etc/presentie)"
eq "/etc/presentie/kiosk.conf" "644 root:root" "$(st /etc/presentie/kiosk.conf)"
eq "/var/lib/presentie" "750 presentie:presentie" "$(st /var/lib/presentie)"
eq "/etc/presentie/hub.env" "600 root:root" "$(st /etc/presentie/hub.env)"
eq "/etc/presentie/tls/hub.key" "600 root:root" "$(st /etc/presentie/tls/hub.key)"
eq "/var/backups/presentie-hub" "700 postgres:postgres" "$(st /var/backups/presentie-hub)"
eq "/var/lib/presentie-hub" "750 presentie-hub:presentie-hub" "$(st /var/lib/presentie-hub)"
eq "/etc/udev/rules.d/94-presentie-nfc.rules" "644 root:root" "$(st /etc/udev/rules.d/94-presentie-nfc.rules)"
check "libnfc6's modprobe blacklist in place" grep -qx 'blacklist pn533_usb' "$R/etc/modprobe.d/blacklist-libnfc.conf"
for u in presentie-kiosk presentie-sync presentie-hub; do
	eq "/etc/systemd/system/$u.service" "644 root:root" "$(st "/etc/systemd/system/$u.service")"
	check "$u enabled" test -L "$R/etc/systemd/system/multi-user.target.wants/$u.service"
done
check "backup timer enabled" test -L "$R/etc/systemd/system/timers.target.wants/presentie-hub-backup.timer"
check "systemd-timesyncd enabled" test -L "$R/etc/systemd/system/sysinit.target.wants/systemd-timesyncd.service"
groups=$(in_root 'id -nG presentie' 2>/dev/null)
miss=''
for g in video input render plugdev dialout; do [[ " $groups " == *" $g "* ]] || miss+=" $g"; done
eq "presentie in video input render plugdev dialout" "" "$miss"
for b in presentie-hub presentie-sync presentie-kiosk; do
	have "$b" || { skip "$b installed" "not built in this tree yet"; continue; }
	eq "/usr/local/bin/$b" "755 root:root" "$(st /usr/local/bin/$b)"
	out=$(in_root "ldd /usr/local/bin/$b | grep 'not found'" 2>&1)
	eq "$b: every library it links is installed" "" "$out"
done
check "cage installed" test -x "$R/usr/bin/cage"
check "nginx config valid (nginx -t)" in_root 'nginx -t -q'

# --- 5. second runs and dry runs change nothing ----------------------------------------------
step "second runs"
m1=$(manifest)
in_root "/opt/presentie/src/provisioning/install-hub.sh $HUB_ARGS" >"$LOG/hub-2.log" 2>&1
eq "install-hub.sh second run exits 0" 0 $?
check "install-hub.sh second run: nothing to change" grep -q '^install-hub: nothing to change' "$LOG/hub-2.log"
in_root "/opt/presentie/src/provisioning/install-kiosk.sh $KIOSK_ARGS" >"$LOG/kiosk-2.log" 2>&1
eq "install-kiosk.sh second run exits 0" 0 $?
check "install-kiosk.sh second run: nothing to change" grep -q '^install-kiosk: nothing to change' "$LOG/kiosk-2.log"
grep -h -E '^changed:' "$LOG/hub-2.log" "$LOG/kiosk-2.log" | head -n 10
m2=$(manifest)
if [ "$m1" = "$m2" ]; then ok "second runs: manifest unchanged ($(wc -l <<<"$m1") paths)"
else fail "second runs: manifest unchanged" "$(diff <(echo "$m1") <(echo "$m2") | head -n 20)"; fi
in_root "/opt/presentie/src/provisioning/install-hub.sh --dry-run --server-name other.test --listen 127.0.0.1:9090 --prebuilt /opt/presentie/build" >"$LOG/hub-dry.log" 2>&1
in_root "/opt/presentie/src/provisioning/install-kiosk.sh --dry-run --prebuilt /opt/presentie/build --reader i2c --rotate 180" >"$LOG/kiosk-dry.log" 2>&1
check "--dry-run with other settings: says what it would change" grep -q '^would: update /etc/nginx/sites-available/presentie-hub' "$LOG/hub-dry.log"
check "--dry-run kiosk: would change libnfc.conf" grep -q '^would: update /etc/nfc/libnfc.conf' "$LOG/kiosk-dry.log"
m3=$(manifest)
if [ "$m1" = "$m3" ]; then ok "--dry-run: manifest unchanged"
else fail "--dry-run: manifest unchanged" "$(diff <(echo "$m1") <(echo "$m3") | head -n 20)"; fi

# --- 6. the hub answers (private network namespace) ---------------------------------------------
if have presentie-hub; then
	step "hub, nginx, enrolment, backup and restore in a private network namespace"
	# The hub's command: the unit's ExecStart= with its EnvironmentFile=,
	# run as the unit's User=. systemd's ${VAR} expansion is the shell's here.
	exec_start=$(sed -n 's/^ExecStart=//p' "$R/etc/systemd/system/presentie-hub.service")
	unit_user=$(sed -n 's/^User=//p' "$R/etc/systemd/system/presentie-hub.service")
	backup_cmd=$(sed -n 's/^ExecStart=//p' "$R/etc/systemd/system/presentie-hub-backup.service")
	HAVE_KIOSK=0
	have presentie-kiosk && have presentie-sync && HAVE_KIOSK=1
	cat >"$R/root/hubcheck.sh" <<EOF
set -u
cluster=\$(pg_lsclusters -h | awk 'NR == 1 { print \$1 " " \$2 }')
pg_ctlcluster \$cluster start || { echo "FAIL postgres"; exit 1; }
# As systemd does: the EnvironmentFile= in the environment (never on a
# command line), then the unit's user, then exec (setpriv does not fork).
start_hub() {
	(set -a; . /etc/presentie/hub.env; set +a
	 exec setpriv --reuid=$unit_user --regid=$unit_user --init-groups bash -c 'exec $exec_start') >>/root/hub.log 2>&1 &
	HUB_PID=\$!
	for _ in \$(seq 1 100); do curl -fsS http://127.0.0.1:8080/v1/health >/dev/null 2>&1 && return 0; sleep 0.1; done
	return 1
}
stop_hub() { kill \$HUB_PID 2>/dev/null; wait \$HUB_PID 2>/dev/null; }
start_hub && echo "OK hub-health \$(curl -fsS http://127.0.0.1:8080/v1/health | head -c 200)" || { echo "FAIL hub-health"; tail -n 5 /root/hub.log; }
stat -c 'OK hub-user %U' /proc/\$HUB_PID
tr '\0' ' ' </proc/\$HUB_PID/cmdline | grep -q "\$(sed -n 's/^PGPASSWORD=//p' /etc/presentie/hub.env)" && echo "FAIL password-on-cmdline" || echo "OK password-not-on-cmdline"
nginx && sleep 0.3
curl -fsS --cacert /etc/presentie/tls/hub.crt https://hub.test/v1/health >/dev/null && echo "OK nginx-tls" || echo "FAIL nginx-tls"
curl -s -o /dev/null -w '%{http_code}' http://hub.test/v1/health | sed 's/^/OK nginx-http-status /'; echo
# The operator's path: presentie-hub-admin (hub.env, the hub's user).
code=\$(presentie-hub-admin demo 2>/root/demo.err | tail -n 1)
presentie-hub-admin export attendance --format csv >/root/export.csv 2>>/root/demo.err &&
	[ "\$(stat -c %U /root/export.csv)" = root ] && echo "OK admin-export \$(wc -l </root/export.csv) lines" || echo "FAIL admin-export"
echo "OK demo-code-length \${#code}"
if [ $HAVE_KIOSK = 1 ]; then
	/opt/presentie/src/provisioning/install-kiosk.sh $KIOSK_ARGS --hub https://hub.test --code "\$code" --hub-ca /etc/presentie/tls/hub.crt >/root/kiosk-enrol.log 2>&1 && echo "OK enrol-exit" || { echo "FAIL enrol-exit"; tail -n 5 /root/kiosk-enrol.log; }
	grep -qF -- "\$code" /root/kiosk-enrol.log && echo "FAIL code-printed" || echo "OK code-not-printed"
	stat -c 'OK store %a %U:%G' /var/lib/presentie/kiosk.db
	runuser -u presentie -- presentie-sync status --db /var/lib/presentie/kiosk.db | grep '^device_id=.' >/dev/null && echo "OK enrolled" || echo "FAIL enrolled"
	/opt/presentie/src/provisioning/install-kiosk.sh $KIOSK_ARGS --hub https://hub.test --code "\$code" >/root/kiosk-enrol2.log 2>&1
	grep -q '^install-kiosk: nothing to change' /root/kiosk-enrol2.log && echo "OK enrol-second-run-nothing" || { echo "FAIL enrol-second-run-nothing"; grep changed: /root/kiosk-enrol2.log; }
fi
# Backup with the unit's command and environment, as postgres; then restore.
q() { runuser -u postgres -- psql -X -qtA -d presentie -c "\$1"; }
before=\$(q "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"):\$(q "SELECT string_agg(c::text, ',') FROM (SELECT (xpath('/row/c/text()', query_to_xml('SELECT count(*) AS c FROM ' || quote_ident(tablename), false, true, '')))[1]::text AS c FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename) t")
runuser -u postgres -- env PRESENTIE_BACKUP_DIR=/var/backups/presentie-hub PRESENTIE_BACKUP_KEEP=2 $backup_cmd >/root/backup.log 2>&1 && echo "OK backup-exit" || { echo "FAIL backup-exit"; cat /root/backup.log; }
dump=\$(ls /var/backups/presentie-hub/presentie-hub-*.dump | tail -n 1)
stat -c 'OK dump %a %U' "\$dump"
stop_hub
q "DROP SCHEMA public CASCADE; CREATE SCHEMA public AUTHORIZATION presentie_hub" >/dev/null 2>&1
echo "OK wiped \$(q "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")"
presentie-hub-restore --no-service "\$dump" >/root/restore.log 2>&1 && echo "OK restore-exit" || { echo "FAIL restore-exit"; tail -n 5 /root/restore.log; }
after=\$(q "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"):\$(q "SELECT string_agg(c::text, ',') FROM (SELECT (xpath('/row/c/text()', query_to_xml('SELECT count(*) AS c FROM ' || quote_ident(tablename), false, true, '')))[1]::text AS c FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename) t")
[ "\$before" = "\$after" ] && echo "OK restore-same-rows \$before" || echo "FAIL restore-same-rows \$before vs \$after"
start_hub && echo "OK hub-after-restore" || echo "FAIL hub-after-restore"
stop_hub
nginx -s quit 2>/dev/null
pg_ctlcluster \$cluster stop -m fast
EOF
	out=$(NET=private in_root 'bash /root/hubcheck.sh' 2>&1)
	printf '%s\n' "$out" >"$LOG/hubcheck.log"
	while read -r word name rest; do
		case $word in
		OK) ok "hub: $name${rest:+ ($rest)}" ;;
		FAIL) fail "hub: $name" "${rest:-see $LOG/hubcheck.log}" ;;
		esac
	done <<<"$out"
	grep -q '^OK hub-health' <<<"$out" || fail "hub answers on loopback" "no answer (see $LOG/hubcheck.log, $R/root/hub.log)"
	eq "hub runs as the unit's user" "OK hub-user $unit_user" "$(grep '^OK hub-user' <<<"$out")"
	eq "plain HTTP redirects to HTTPS" "OK nginx-http-status 301" "$(grep '^OK nginx-http-status' <<<"$out")"
	if [ "$HAVE_KIOSK" = 1 ]; then
		eq "store readable only by presentie" "OK store 600 presentie:presentie" "$(grep '^OK store' <<<"$out")"
	else
		skip "kiosk enrolment" "needs presentie-kiosk (it creates the store) and presentie-sync in this tree"
	fi
	eq "dump readable only by postgres" "OK dump 600 postgres" "$(grep '^OK dump' <<<"$out")"
else
	skip "hub answers on loopback" "presentie-hub not built in this tree yet"
fi

# --- 7. the kiosk keeps the unit's watchdog contract ------------------------------------------
# presentie-kiosk.service is Type=notify with WatchdogSec=: the kiosk must
# send READY=1 (after its first frame) and WATCHDOG=1 (from its main loop,
# at least every WATCHDOG_USEC/2) to $NOTIFY_SOCKET, or systemd restarts it.
# Checked with the real binary (offscreen) and a listener in place of systemd.
if have presentie-kiosk; then
	step "sd_notify from the kiosk"
	nd=$WORK/notify
	mkdir -p "$nd"
	printf 'wait 2500\nquit\n' >"$nd/feed"
	python3 - "$nd/sock" >"$nd/got" 2>&1 <<'PY' &
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(0.5)
end = time.time() + 15
while time.time() < end:
    try:
        print(s.recv(4096).decode(errors="replace").replace("\n", " "), flush=True)
    except socket.timeout:
        pass
PY
	listener=$!
	for _ in $(seq 1 50); do [ -S "$nd/sock" ] && break; sleep 0.1; done
	(cd "$nd" && NOTIFY_SOCKET=$nd/sock WATCHDOG_USEC=1000000 SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=dummy \
		timeout 20 "$R/opt/presentie/build/presentie-kiosk" --db "$nd/kiosk.db" --feed "$nd/feed" \
		--assets "$SRC/assets" >"$nd/kiosk.log" 2>&1)
	kill "$listener" 2>/dev/null; wait "$listener" 2>/dev/null
	check "kiosk sends READY=1 to NOTIFY_SOCKET" grep -q 'READY=1' "$nd/got"
	check "kiosk sends WATCHDOG=1 (WATCHDOG_USEC=1 s, 2.5 s run)" grep -q 'WATCHDOG=1' "$nd/got"
else
	skip "sd_notify from the kiosk" "presentie-kiosk not built in this tree yet"
fi

# --- 8. the Ansible playbook does the same ------------------------------------------------------
# A second fresh root; ansible-core from Debian inside it; the playbook run
# there against localhost (connection local, presentie_manage_services
# false: no running systemd). Then every file the scripts install must be
# there with the same content, mode and owner (hub.env's password and the
# TLS key/certificate excepted: mode and owner only), and a second playbook
# run must change nothing.
if [ "${PROV_SKIP_ANSIBLE:-0}" = 1 ]; then
	skip "ansible playbook" "PROV_SKIP_ANSIBLE=1"
elif have presentie-hub && have presentie-kiosk && have presentie-sync; then
	step "ansible-playbook in a second root"
	R2=$WORK/root-ansible
	fresh_root "$R2"
	put_tree "$R2"
	cat >"$R2/opt/presentie/inventory.yml" <<'INV'
all:
  vars:
    ansible_connection: local
    ansible_become: false
    ansible_python_interpreter: /usr/bin/python3
    presentie_manage_services: false
    presentie_build_dir: /opt/presentie/build
  children:
    hubs:
      hosts:
        localhost:
          presentie_server_name: hub.test
    kiosks:
      hosts:
        localhost:
          presentie_rotate: 90
INV
	R=$R2 in_root 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ansible-core' \
		>"$LOG/ansible-install.log" 2>&1
	eq "ansible-core installed in the second root" 0 $?
	play="cd /opt/presentie/src/provisioning/ansible && ANSIBLE_NOCOLOR=1 ansible-playbook -i /opt/presentie/inventory.yml site.yml"
	R=$R2 in_root "$play" >"$LOG/ansible-1.log" 2>&1
	eq "ansible-playbook first run exits 0" 0 $?
	grep -E '^(fatal|failed):' "$LOG/ansible-1.log" | head -n 5
	R=$R2 in_root "$play" >"$LOG/ansible-2.log" 2>&1
	eq "ansible-playbook second run exits 0" 0 $?
	recap=$(grep -E '^localhost +:' "$LOG/ansible-2.log" | tail -n 1)
	check "ansible-playbook second run changes nothing ($recap)" grep -qE ' changed=0 ' <<<"$recap"
	grep -E '^changed:' "$LOG/ansible-2.log" | head -n 5
	same=() differ=()
	for f in /etc/presentie/kiosk.conf /etc/presentie/kiosk.env /etc/nfc/libnfc.conf \
		/etc/udev/rules.d/94-presentie-nfc.rules /etc/pam.d/presentie-kiosk /etc/modprobe.d/blacklist-libnfc.conf \
		/etc/systemd/journald.conf.d/60-presentie-kiosk.conf /etc/systemd/journald.conf.d/60-presentie-hub.conf \
		/etc/systemd/system/presentie-kiosk.service /etc/systemd/system/presentie-sync.service \
		/etc/systemd/system/presentie-hub.service /etc/systemd/system/presentie-hub-backup.service \
		/etc/systemd/system/presentie-hub-backup.timer /etc/logrotate.d/presentie-hub /etc/presentie/backup.env \
		/etc/nginx/sites-available/presentie-hub /usr/local/sbin/presentie-hub-backup \
		/usr/local/sbin/presentie-hub-restore /usr/local/sbin/presentie-hub-admin /usr/local/bin/presentie-hub \
		/usr/local/bin/presentie-sync /usr/local/bin/presentie-kiosk /usr/local/share/doc/presentie/DEPLOY.md; do
		a="$(st "$f" "$R") $(md5sum <"$R$f" 2>/dev/null)"
		b="$(st "$f" "$R2") $(md5sum <"$R2$f" 2>/dev/null)"
		if [ "$a" = "$b" ]; then same+=("$f"); else differ+=("$f: script '$a', ansible '$b'"); fi
	done
	for f in /etc/presentie /etc/presentie/hub.env /etc/presentie/tls/hub.key /var/lib/presentie \
		/var/lib/presentie-hub /var/backups/presentie-hub /var/log/presentie-hub \
		/etc/systemd/system/multi-user.target.wants/presentie-kiosk.service \
		/etc/systemd/system/multi-user.target.wants/presentie-sync.service \
		/etc/systemd/system/multi-user.target.wants/presentie-hub.service \
		/etc/systemd/system/timers.target.wants/presentie-hub-backup.timer \
		/etc/systemd/system/sysinit.target.wants/systemd-timesyncd.service \
		/etc/nginx/sites-enabled/presentie-hub /etc/nginx/sites-enabled/default; do
		a="$(st "$f" "$R") $(readlink "$R$f")"
		b="$(st "$f" "$R2") $(readlink "$R2$f")"
		if [ "$a" = "$b" ]; then same+=("$f"); else differ+=("$f: script '$a', ansible '$b'"); fi
	done
	a=$(cd "$R/usr/local/share/presentie" && find . -type f -printf '%p %m ' -exec md5sum {} \; | sort)
	b=$(cd "$R2/usr/local/share/presentie" && find . -type f -printf '%p %m ' -exec md5sum {} \; | sort)
	if [ "$a" = "$b" ]; then same+=(/usr/local/share/presentie); else differ+=("/usr/local/share/presentie differs"); fi
	if [ ${#differ[@]} -eq 0 ]; then ok "ansible and the scripts: ${#same[@]} paths alike (content, mode, owner)"
	else fail "ansible and the scripts: same files" "$(printf '%s; ' "${differ[@]}")"; fi
	eq "ansible: presentie's groups as the scripts'" "$(in_root 'id -nG presentie' 2>&1)" "$(R=$R2 in_root 'id -nG presentie' 2>&1)"
	check "ansible: hub.env has a password" grep -qE '^PGPASSWORD=.{24,}$' "$R2/etc/presentie/hub.env"
else
	skip "ansible playbook" "needs all three programs in this tree"
fi

echo
echo "logs: $LOG; root: $R"
echo "took $(($(date +%s) - T0)) s"
echo "$PASSES passed, $FAILS failed"
[ "$FAILS" -eq 0 ]
