#!/usr/bin/env bash
# prov_static.sh — fast checks of provisioning/ (part of `make test`, well
# under a minute): shellcheck on every provisioning script and .ci/run;
# systemd-analyze verify on every unit; ansible-playbook --syntax-check; the
# kiosk.conf sample against the kiosk's config parser; install-kiosk.sh and
# install-hub.sh with --root DIR: --dry-run writes nothing, a real run lands
# the files with the right modes and owners, a second run changes nothing.
# Must not: touch the machine outside its temporary folders (--root mode runs
# no apt-get, systemctl, useradd outside DIR, or enrolment).
# The slow, real installation (debootstrap) is tests/provisioning/run.sh.
set -u
ROOT_DIR=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT_DIR" || exit 1
# shellcheck source=tests/lib.sh
. tests/lib.sh
P=provisioning
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# --- shellcheck -------------------------------------------------------------
mapfile -t scripts < <(ls $P/*.sh $P/lib/*.sh $P/sbin/* .ci/run \
	tests/integration/prov_*.sh tests/provisioning/*.sh 2>/dev/null)
if ! command -v shellcheck >/dev/null; then
	t_fail shellcheck "shellcheck not installed (provisioning/deps.sh test)"
elif out=$(shellcheck -x -S style "${scripts[@]}" 2>&1); then
	t_ok "shellcheck (${#scripts[@]} scripts)"
else
	t_fail shellcheck "$(printf '%s' "$out" | head -n 30)"
fi

# --- systemd-analyze verify ----------------------------------------------------
# verify insists that every ExecStart binary exists and is executable. The
# programs are not installed on the test machine, so each unit is verified
# as a copy whose Exec paths point at stub executables in a temporary
# folder (the rest of the unit is byte for byte the same). Any message from
# verify (unknown key, bad value, missing dependency) counts as a failure.
mkdir -p "$TMP/units" "$TMP/stub"
for u in "$P"/systemd/*.service "$P"/systemd/*.timer; do
	sed -E "s#^(Exec[A-Za-z]*=[-@!+:]*)(/[^ ]+)#\1$TMP/stub\2#" "$u" >"$TMP/units/$(basename "$u")"
done
while read -r exe; do
	mkdir -p "$(dirname "$exe")"
	printf '#!/bin/sh\nexit 0\n' >"$exe"
	chmod 0755 "$exe"
done < <(sed -n -E 's#^Exec[A-Za-z]*=[-@!+:]*([^ ]+).*#\1#p' "$TMP"/units/* | sort -u)
if ! command -v systemd-analyze >/dev/null; then
	t_fail "systemd-analyze verify" "systemd-analyze not installed (apt-get install systemd)"
else
	for u in "$TMP"/units/*; do
		out=$(cd "$TMP/units" && systemd-analyze verify --man=no "$u" 2>&1)
		if [ -z "$out" ]; then t_ok "systemd-analyze verify $(basename "$u")"
		else t_fail "systemd-analyze verify $(basename "$u")" "$out"; fi
	done
fi
# Contracts the units must keep (issue 6).
k=$P/systemd/presentie-kiosk.service
t_check "kiosk unit: Type=notify, NotifyAccess=all, WatchdogSec, Restart=always" \
	grep -q -z -E 'Type=notify.*NotifyAccess=all.*Restart=always.*WatchdogSec=[0-9]+' "$k"
t_check "kiosk unit: not ordered after time-sync.target" \
	bash -c "! grep -E '^(After|Wants|Requires)=.*time-sync' $P/systemd/*.service"
for u in presentie-kiosk presentie-sync presentie-hub; do
	f=$P/systemd/$u.service
	miss=''
	for key in NoNewPrivileges=yes ProtectSystem=strict PrivateTmp=yes ProtectHome=yes \
		'RestrictAddressFamilies=' 'SystemCallFilter=@system-service' 'StateDirectory=' 'CapabilityBoundingSet='; do
		grep -q "^$key" "$f" || miss+=" $key"
	done
	t_eq "$u unit hardened" "" "$miss"
done

# --- ansible ---------------------------------------------------------------------
if ! command -v ansible-playbook >/dev/null; then
	t_fail "ansible syntax" "ansible-playbook not installed (apt-get install ansible-core)"
else
	if out=$(cd $P/ansible && ANSIBLE_LOCAL_TEMP=$TMP/ansible ANSIBLE_HOME=$TMP/ansible \
		ansible-playbook --syntax-check -i inventory.example.yml site.yml 2>&1); then
		t_ok "ansible-playbook --syntax-check site.yml"
	else t_fail "ansible-playbook --syntax-check site.yml" "$(tail -n 15 <<<"$out")"; fi
	hosts=$(cd $P/ansible && ANSIBLE_HOME=$TMP/ansible ansible-inventory -i inventory.example.yml --list 2>/dev/null |
		python3 -c 'import json,sys; d=json.load(sys.stdin); print(" ".join(sorted(d.get("kiosks",{}).get("children",[]))))')
	t_eq "inventory: kiosks in two locations" "amsterdam velsen" "$hosts"
fi

# --- kiosk.conf.sample: every key is one the kiosk knows -----------------------------
if [ -f kiosk/kconf.c ]; then
	unknown=''
	while read -r key; do
		grep -q "\"$key\"" kiosk/kconf.c || unknown+=" $key"
	done < <(sed -n -E 's/^#?([a-z_]+) =.*/\1/p' $P/kiosk.conf.sample)
	t_eq "kiosk.conf.sample: every key known to kiosk/kconf.c" "" "$unknown"
fi
# The real kiosk reads the sample as its config file (and, with
# --init-only, creates its store and exits: what install-kiosk.sh does).
if [ -x "${BUILD:-}/presentie-kiosk" ]; then
	mkdir -p "$TMP/kc"
	if out=$(cd "$TMP/kc" && timeout 60 "$BUILD/presentie-kiosk" --config "$ROOT_DIR/$P/kiosk.conf.sample" \
		--db "$TMP/kc/kiosk.db" --assets "$ROOT_DIR/assets" --init-only 2>&1) && [ -f "$TMP/kc/kiosk.db" ]; then
		t_ok "kiosk.conf.sample accepted by presentie-kiosk"
	else
		t_fail "kiosk.conf.sample accepted by presentie-kiosk" "$(tail -n 3 <<<"$out")"
	fi
fi

# --- install scripts in --root mode -------------------------------------------------------
# A root with users and groups as on a Debian system with the packages in.
mkroot() {
	mkdir -p "$1/etc"
	cat >"$1/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/bash
www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin
postgres:x:105:110:PostgreSQL administrator:/var/lib/postgresql:/bin/bash
EOF
	cat >"$1/etc/group" <<'EOF'
root:x:0:
adm:x:4:
dialout:x:20:
audio:x:29:
www-data:x:33:
video:x:44:
plugdev:x:46:
input:x:101:
render:x:102:
postgres:x:110:
EOF
}
# manifest DIR: path, type, mode, owner, checksum of every entry.
manifest() {
	(cd "$1" && find . -mindepth 1 -printf '%p %y %m %u:%g %l\n' | sort | while read -r p y rest; do
		if [ "$y" = f ]; then printf '%s %s %s %s\n' "$p" "$y" "$rest" "$(sha256sum <"$p" | cut -c1-16)"
		else printf '%s %s %s\n' "$p" "$y" "$rest"; fi
	done)
}
# mode_owner ROOT PATH: "MODE USER:GROUP" by the root's own passwd/group.
mode_owner() {
	local mode uid gid u g
	read -r mode uid gid < <(stat -c '%a %u %g' "$1$2" 2>/dev/null) || { echo missing; return; }
	u=$(awk -F: -v i="$uid" '$3 == i { print $1; exit }' "$1/etc/passwd")
	g=$(awk -F: -v i="$gid" '$3 == i { print $1; exit }' "$1/etc/group")
	echo "$mode ${u:-$uid}:${g:-$gid}"
}

BUILD_ARGS=()
[ -d "${BUILD:-}" ] && BUILD_ARGS=(--prebuilt "$BUILD")
for what in kiosk hub; do
	R=$TMP/root-$what
	mkroot "$R"
	before=$(manifest "$R")
	if [ $what = kiosk ]; then
		args=(--hub https://hub.example.nl --code TEST-CODE-1 --reader uart --rotate 90 "${BUILD_ARGS[@]}")
	else
		args=(--server-name hub.example.nl "${BUILD_ARGS[@]}")
	fi
	out=$(bash $P/install-$what.sh --dry-run --root "$R" "${args[@]}" 2>&1)
	rc=$?
	t_eq "install-$what --dry-run --root: exit 0" 0 "$rc"
	[ "$rc" -eq 0 ] || printf '%s\n' "$out" | tail -n 20
	t_eq "install-$what --dry-run --root: nothing written" "$before" "$(manifest "$R")"
	t_check "install-$what --dry-run: says what it would do" grep -q '^would: install /etc/systemd/system/presentie-' <<<"$out"

	out=$(bash $P/install-$what.sh --root "$R" "${args[@]}" 2>&1)
	rc=$?
	t_eq "install-$what --root: exit 0" 0 "$rc"
	[ "$rc" -eq 0 ] || printf '%s\n' "$out" | tail -n 20
	first=$(manifest "$R")
	out=$(bash $P/install-$what.sh --root "$R" "${args[@]}" 2>&1)
	t_check "install-$what --root second run: nothing to change" grep -q "^install-$what: nothing to change" <<<"$out"
	grep -E '^(changed|would):' <<<"$out" | head -n 5
	t_eq "install-$what --root second run: same files, modes, owners" "$first" "$(manifest "$R")"
	out=$(bash $P/install-$what.sh --dry-run --root "$R" "${args[@]}" 2>&1)
	t_check "install-$what --dry-run after install: nothing to change" grep -q "^install-$what: nothing to change" <<<"$out"
done

R=$TMP/root-kiosk
t_eq "kiosk: /etc/presentie/kiosk.conf" "644 root:root" "$(mode_owner "$R" /etc/presentie/kiosk.conf)"
t_eq "kiosk: /var/lib/presentie" "750 presentie:presentie" "$(mode_owner "$R" /var/lib/presentie)"
t_check "kiosk: presentie in video,input,render,plugdev,dialout" bash -c \
	"for g in video input render plugdev dialout; do grep -q \"^\$g:.*presentie\" '$R/etc/group' || exit 1; done"
t_check "kiosk: the unit enabled" test -L "$R/etc/systemd/system/multi-user.target.wants/presentie-kiosk.service"
t_check "kiosk: sync unit enabled" test -L "$R/etc/systemd/system/multi-user.target.wants/presentie-sync.service"
t_eq "kiosk: udev rule" "644 root:root" "$(mode_owner "$R" /etc/udev/rules.d/94-presentie-nfc.rules)"
t_eq "kiosk: modprobe blacklist" "644 root:root" "$(mode_owner "$R" /etc/modprobe.d/blacklist-libnfc.conf)"
t_check "kiosk: libnfc.conf has the UART connstring" grep -qx 'device.connstring = "pn532_uart:/dev/serial0"' "$R/etc/nfc/libnfc.conf"
t_check "kiosk: --rotate 90 gives cage -r" grep -qx 'CAGE_ARGS=-r' "$R/etc/presentie/kiosk.env"
t_check "kiosk: journald volatile with a cap" grep -q -z -E 'Storage=volatile.*RuntimeMaxUse=' "$R/etc/systemd/journald.conf.d/60-presentie-kiosk.conf"
t_check "kiosk.conf edits are kept" bash -c "echo 'lang = en' >>'$R/etc/presentie/kiosk.conf' &&
	bash $P/install-kiosk.sh --root '$R' ${BUILD_ARGS[*]:-} --hub https://hub.example.nl --code TEST-CODE-1 --reader uart --rotate 90 | grep -q 'kept /etc/presentie/kiosk.conf' &&
	tail -n 1 '$R/etc/presentie/kiosk.conf' | grep -qx 'lang = en'"
R=$TMP/root-hub
t_eq "hub: hub.env root-only" "600 root:root" "$(mode_owner "$R" /etc/presentie/hub.env)"
t_eq "hub: TLS key root-only" "600 root:root" "$(mode_owner "$R" /etc/presentie/tls/hub.key)"
t_eq "hub: backups folder" "700 postgres:postgres" "$(mode_owner "$R" /var/backups/presentie-hub)"
t_check "hub: self-signed certificate for the name" bash -c \
	"openssl x509 -in '$R/etc/presentie/tls/hub.crt' -noout -subject | grep -q hub.example.nl"
t_check "hub: nginx site enabled, filled in" bash -c \
	"test -L '$R/etc/nginx/sites-enabled/presentie-hub' && ! grep -q '@[A-Z_]*@' '$R/etc/nginx/sites-available/presentie-hub'"
t_check "hub: backup timer enabled" test -L "$R/etc/systemd/system/timers.target.wants/presentie-hub-backup.timer"
t_check "hub: no password in the unit or nginx" bash -c \
	"pw=\$(sed -n 's/^PGPASSWORD=//p' '$R/etc/presentie/hub.env'); [ \${#pw} -ge 24 ] &&
	 ! grep -rqF \"\$pw\" '$R/etc/systemd' '$R/etc/nginx'"

# --- bad arguments change nothing -------------------------------------------------------------
R=$TMP/root-bad
mkroot "$R"
before=$(manifest "$R")
for bad in "--rotate 45" "--reader nfc" "--code bad;code" "--hub ftp://x" "--frobnicate"; do
	# shellcheck disable=SC2086  # split on purpose
	if bash $P/install-kiosk.sh --root "$R" $bad >/dev/null 2>&1; then
		t_fail "install-kiosk rejects $bad" "exit 0"
	else t_ok "install-kiosk rejects $bad"; fi
done
t_eq "rejected runs wrote nothing" "$before" "$(manifest "$R")"
t_done
