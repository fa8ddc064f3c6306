#!/usr/bin/env bash
# install-kiosk.sh — turn a Raspberry Pi OS Lite (bookworm) or Debian
# bookworm machine into a Presentie kiosk, and enrol it with a hub.
# Idempotent: every step checks first and changes only what differs; a
# second run reports "nothing to change". --dry-run prints what it would do
# and changes nothing. --root DIR writes only below DIR (no packages, no
# systemctl, no users, no enrolment): for tests and image building.
# Must not: print the enrolment code or the device token; overwrite an
# edited /etc/presentie/kiosk.conf; re-enrol an enrolled kiosk unasked.
# Run as root from a clone of the repository. See docs/DEPLOY.md.
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=provisioning/lib/common.sh
. "$HERE/lib/common.sh"

usage() {
	cat <<'EOF'
usage: install-kiosk.sh --hub URL --code CODE [options]
  --hub URL              the hub, e.g. https://hub.example.nl
  --code CODE            the one-time enrolment code (presentie-hub device create)
  --location-name NAME   this kiosk's name at the hub (default: the host name)
  --hub-ca FILE          CA certificate of the hub (self-signed first start)
  --reader usb|uart|i2c|spi   the NFC reader (default usb: ACR122U, PN533)
  --reader-device PATH   device of a uart/i2c/spi reader (defaults below)
  --rotate 0|90|180|270  rotate the screen (portrait touchscreens)
  --readonly-root        read-only root (overlayroot); /var/lib/presentie must
                         be its own writable partition (see docs/DEPLOY.md)
  --prebuilt DIR         programs already built from this tree (make BUILD=DIR)
  --dry-run              print what would change; change nothing
  --root DIR             write below DIR only (no packages/systemctl/users)
  --force-enrol          enrol again even if this kiosk is already enrolled
Defaults for --reader-device: uart /dev/serial0, i2c /dev/i2c-1,
spi /dev/spidev0.0 (at 500 kHz).
EOF
}

HUB='' CODE='' LOCNAME='' HUB_CA='' READER=usb READER_DEV='' ROTATE=0 READONLY=0
PREBUILT='' FORCE_ENROL=0
SRC=$(cd "$HERE/.." && pwd)
PREFIX=/usr/local
DB=/var/lib/presentie/kiosk.db

while [ $# -gt 0 ]; do
	case $1 in
	--hub) HUB=${2:?--hub URL}; shift ;;
	--code) CODE=${2:?--code CODE}; shift ;;
	--location-name) LOCNAME=${2:?--location-name NAME}; shift ;;
	--hub-ca) HUB_CA=${2:?--hub-ca FILE}; shift ;;
	--reader) READER=${2:?--reader usb|uart|i2c|spi}; shift ;;
	--reader-device) READER_DEV=${2:?--reader-device PATH}; shift ;;
	--rotate) ROTATE=${2:?--rotate 0|90|180|270}; shift ;;
	--readonly-root) READONLY=1 ;;
	--prebuilt) PREBUILT=$(cd "${2:?--prebuilt DIR}" && pwd) || die "no such folder: $2"; shift ;;
	--dry-run) DRY_RUN=1 ;;
	--root) ROOT=$(cd "${2:?--root DIR}" && pwd) || die "no such folder: $2"; shift ;;
	--force-enrol) FORCE_ENROL=1 ;;
	-h|--help) usage; exit 0 ;;
	*) usage >&2; die "unknown option: $1" ;;
	esac
	shift
done

# --- validate everything before changing anything ---------------------------
[ "$(id -u)" -eq 0 ] || [ -n "$ROOT" ] || [ "$DRY_RUN" = 1 ] || die "run as root (sudo)"
case $READER in
usb) CONNSTRING= ;;
uart) CONNSTRING="pn532_uart:${READER_DEV:-/dev/serial0}" ;;
i2c) CONNSTRING="pn532_i2c:${READER_DEV:-/dev/i2c-1}" ;;
spi) CONNSTRING="pn532_spi:${READER_DEV:-/dev/spidev0.0}:500000" ;;
*) die "--reader: usb, uart, i2c or spi" ;;
esac
[ -z "$READER_DEV" ] || [[ $READER_DEV =~ ^/dev/[A-Za-z0-9._/-]+$ ]] ||
	die "--reader-device: a /dev path"
case $ROTATE in
0) CAGE_ARGS= ;; 90) CAGE_ARGS=-r ;; 180) CAGE_ARGS="-r -r" ;; 270) CAGE_ARGS="-r -r -r" ;;
*) die "--rotate: 0, 90, 180 or 270" ;;
esac
URL_RE='^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._/-]*)?$'
[ -z "$HUB" ] || [[ $HUB =~ $URL_RE ]] ||
	die "--hub: a URL such as https://hub.example.nl"
[ -z "$CODE" ] || [[ $CODE =~ ^[A-Za-z0-9-]{4,63}$ ]] || die "--code: letters, digits and '-'"
[ -z "$LOCNAME" ] || [[ ${#LOCNAME} -le 63 && $LOCNAME != *[[:cntrl:]]* ]] ||
	die "--location-name: at most 63 characters, no control characters"
[ -z "$HUB_CA" ] || [ -f "$HUB_CA" ] || die "--hub-ca: no such file: $HUB_CA"
[ -n "$PREBUILT" ] || [ -f "$SRC/Makefile" ] || die "no Makefile in $SRC: run from a clone"

say "presentie kiosk install${ROOT:+ into $ROOT}$([ "$DRY_RUN" = 1 ] && echo ' (dry run)')"

# --- 1. packages ---------------------------------------------------------------
KIOSK_PKGS=(cage libwlroots10 libgl1-mesa-dri libegl1 libgles2 libpam-systemd dbus
	systemd-timesyncd libnfc-bin libnfc-examples kmod udev "${RUNTIME_PKGS[@]}")
[ "$READONLY" = 1 ] && KIOSK_PKGS+=(overlayroot)
ensure_packages "${KIOSK_PKGS[@]}"

# --- 2. the programs (make install) ---------------------------------------------
install_programs "$SRC" "$PREFIX" "$PREBUILT"
put_file "$SRC/docs/DEPLOY.md" "$PREFIX/share/doc/presentie/DEPLOY.md" 0644 root:root || true

# --- 3. user, folders, configuration ----------------------------------------------
ensure_system_user presentie /var/lib/presentie video input render plugdev dialout audio? i2c? spi? gpio?
ensure_dir /etc/presentie 0755 root:root
ensure_dir /var/lib/presentie 0750 presentie:presentie
if [ -e "$(r /etc/presentie/kiosk.conf)" ] && ! cmp -s "$HERE/kiosk.conf.sample" "$(r /etc/presentie/kiosk.conf)"; then
	say "kept /etc/presentie/kiosk.conf (differs from the sample: local edits are yours)"
else
	put_file "$HERE/kiosk.conf.sample" /etc/presentie/kiosk.conf 0644 root:root || true
fi
# kiosk.env and libnfc.conf: the same bytes as the Ansible kiosk role writes.
{
	echo "# kiosk.env — written by Presentie provisioning (rotate: $ROTATE); read by presentie-kiosk.service."
	echo "CAGE_ARGS=$CAGE_ARGS"
} | put_text /etc/presentie/kiosk.env 0644 root:root || true

# --- 4. NFC reader ------------------------------------------------------------------
# Debian's libnfc6 ships the blacklist as a conffile; put it back if removed.
if [ ! -e "$(r /etc/modprobe.d/blacklist-libnfc.conf)" ]; then
	put_file "$HERE/modprobe/blacklist-libnfc.conf" /etc/modprobe.d/blacklist-libnfc.conf 0644 root:root || true
fi
if systemd_running && [ "$DRY_RUN" = 0 ]; then
	for m in pn533_usb pn533 nfc; do
		if grep -q "^$m " /proc/modules 2>/dev/null; then
			changed "unload kernel module $m (it grabs the reader before libnfc)"
			rmmod "$m" || warn "rmmod $m failed: reboot to apply the blacklist"
		fi
	done
fi
put_file "$HERE/udev/94-presentie-nfc.rules" /etc/udev/rules.d/94-presentie-nfc.rules 0644 root:root &&
	UDEV_CHANGED=1
{
	echo "# /etc/nfc/libnfc.conf — written by Presentie provisioning (reader: $READER)."
	echo "# The kiosk opens libnfc's default device (kiosk.conf: nfc = default)."
	echo "# Test the reader: nfc-list   (stop the kiosk first: systemctl stop presentie-kiosk)"
	echo "allow_autoscan = true"
	echo "allow_intrusive_scan = false"
	echo "log_level = 1"
	if [ -n "$CONNSTRING" ]; then
		echo "device.name = \"presentie-$READER\""
		echo "device.connstring = \"$CONNSTRING\""
	fi
} | put_text /etc/nfc/libnfc.conf 0644 root:root || true
# The Pi header: switch on the bus the reader sits on (Raspberry Pi OS only).
BOOT=/boot/firmware
[ -f "$(r $BOOT/config.txt)" ] || BOOT=/boot
if [ -f "$(r $BOOT/config.txt)" ]; then
	case $READER in
	uart) ensure_line $BOOT/config.txt enable_uart=1 || true
	      if grep -q 'console=serial0' "$(r $BOOT/cmdline.txt)" 2>/dev/null; then
		      changed "free the UART: remove console=serial0,... from $BOOT/cmdline.txt"
		      [ "$DRY_RUN" = 1 ] || sed -i -E 's/ ?console=serial0,[0-9]+//' "$(r $BOOT/cmdline.txt)"
	      fi ;;
	i2c) ensure_line $BOOT/config.txt dtparam=i2c_arm=on || true
	     ensure_line /etc/modules i2c-dev || true ;;
	spi) ensure_line $BOOT/config.txt dtparam=spi=on || true ;;
	esac
fi

# --- 5. screen: no blanking, no console cursor; rotation is in kiosk.env ------------
if [ -f "$(r $BOOT/cmdline.txt)" ]; then
	ensure_cmdline_word $BOOT/cmdline.txt consoleblank=0 || true
	ensure_cmdline_word $BOOT/cmdline.txt vt.global_cursor_default=0 || true
else
	note "no $BOOT/cmdline.txt: add consoleblank=0 vt.global_cursor_default=0 to the kernel command line yourself"
fi
put_file "$HERE/pam/presentie-kiosk" /etc/pam.d/presentie-kiosk 0644 root:root || true

# --- 6. time: timesyncd on; the kiosk does not wait for it ---------------------------
enable_unit systemd-timesyncd.service

# --- 7. SD card care: journald in RAM with a cap, no swap ----------------------------
put_file "$HERE/journald/60-presentie-kiosk.conf" /etc/systemd/journald.conf.d/60-presentie-kiosk.conf 0644 root:root &&
	JOURNALD_CHANGED=1
if pkg_installed dphys-swapfile || [ -e "$(r /etc/dphys-swapfile)" ]; then
	if systemd_running && [ "$DRY_RUN" = 0 ] && [ -n "$(swapon --noheadings 2>/dev/null)" ]; then
		changed "swap off (dphys-swapfile swapoff)"
		dphys-swapfile swapoff 2>/dev/null || swapoff -a || warn "swapoff failed"
	fi
	mask_unit dphys-swapfile.service
	remove_path /var/swap || true
fi

# --- 8. read-only root (optional) ----------------------------------------------------
if [ "$READONLY" = 1 ]; then
	if ! awk '$2 == "/var/lib/presentie" { found = 1 } END { exit !found }' "$(r /etc/fstab)" 2>/dev/null; then
		die "--readonly-root: /var/lib/presentie must be its own partition in /etc/fstab (docs/DEPLOY.md, 'Read-only root')"
	fi
	if command -v raspi-config >/dev/null && [ -z "$ROOT" ]; then
		if ! grep -q 'overlayroot=tmpfs' "$(r $BOOT/cmdline.txt)" 2>/dev/null; then
			changed "raspi-config: overlay file system on (read-only root after reboot)"
			[ "$DRY_RUN" = 1 ] || raspi-config nonint do_overlayfs 0 || die "raspi-config do_overlayfs failed"
		fi
	else
		# Debian's overlayroot: / becomes a tmpfs overlay; recurse=0 leaves
		# other mounts (the store's partition) as they are: writable.
		printf '%s\n' '# written by install-kiosk.sh --readonly-root' \
			'overlayroot="tmpfs:swap=0,recurse=0"' |
			put_text /etc/overlayroot.local.conf 0644 root:root || true
	fi
	note "read-only root takes effect after a reboot; to change the system later: docs/DEPLOY.md 'Read-only root'"
fi

# --- 9. systemd units ---------------------------------------------------------------
UNITS_CHANGED=0
for u in presentie-kiosk.service presentie-sync.service; do
	put_file "$HERE/systemd/$u" "/etc/systemd/system/$u" 0644 root:root && UNITS_CHANGED=1
done
[ "$UNITS_CHANGED" = 1 ] && sysd daemon-reload
enable_unit presentie-kiosk.service
enable_unit presentie-sync.service
[ "${JOURNALD_CHANGED:-0}" = 1 ] && sysd restart systemd-journald
if [ "${UDEV_CHANGED:-0}" = 1 ] && systemd_running && [ "$DRY_RUN" = 0 ]; then
	{ udevadm control --reload && udevadm trigger --subsystem-match=usb; } || warn "udev reload failed"
fi

# --- 10. the store and enrolment -------------------------------------------------------
# The token lands in the store (meta table): a 0600 file of presentie in a
# 0750 folder of presentie, so only presentie (and root) can read it.
as_presentie() { runuser -u presentie -- "$@"; }
if [ -n "$ROOT" ]; then
	note "--root: store and enrolment skipped"
elif [ "$DRY_RUN" = 1 ]; then
	[ -f "$DB" ] || changed "create the store $DB (the kiosk, once, headless)"
	if [ -f "$DB" ] && "$PREFIX/bin/presentie-sync" status --db "$DB" 2>/dev/null | grep -q '^device_id=.'; then
		:
	else
		changed "enrol with ${HUB:-<--hub>} (presentie-sync enrol, as presentie)"
	fi
elif [ ! -f "$DB" ] && { [ -z "$HUB" ] || [ -z "$CODE" ]; }; then
	note "not enrolled: run again with --hub URL --code CODE (the kiosk creates its store at first start)"
else
	if [ ! -f "$DB" ]; then
		changed "create the store $DB"
		# The kiosk creates and migrates its store, then exits (no display).
		(cd /var/lib/presentie && umask 077 &&
			timeout 60 runuser -u presentie -- "$PREFIX/bin/presentie-kiosk" --db "$DB" --init-only) >/dev/null ||
			die "the kiosk could not create its store $DB (try: runuser -u presentie -- $PREFIX/bin/presentie-kiosk --db $DB --init-only)"
	fi
	status=$(as_presentie "$PREFIX/bin/presentie-sync" status --db "$DB" 2>/dev/null)
	if grep -q '^device_id=.' <<<"$status" && [ "$FORCE_ENROL" = 0 ]; then
		enrolled_hub=$(sed -n 's/^hub_url=//p' <<<"$status")
		say "already enrolled (hub $enrolled_hub); --force-enrol to enrol again"
		[ -z "$HUB" ] || [ "$HUB" = "$enrolled_hub" ] ||
			warn "enrolled with $enrolled_hub, not $HUB: nothing changed"
	elif [ -z "$HUB" ] || [ -z "$CODE" ]; then
		note "not enrolled: run again with --hub URL --code CODE"
	else
		ca_args=()
		if [ -n "$HUB_CA" ]; then
			put_file "$HUB_CA" /etc/presentie/hub-ca.crt 0644 root:root || true
			ca_args=(--ca /etc/presentie/hub-ca.crt)
		fi
		force=()
		[ "$FORCE_ENROL" = 1 ] && force=(--force)
		changed "enrol with $HUB as ${LOCNAME:-$(hostname)}"
		(umask 077 && as_presentie "$PREFIX/bin/presentie-sync" enrol --hub "$HUB" --code "$CODE" \
			--db "$DB" --name "${LOCNAME:-$(hostname)}" "${ca_args[@]}" "${force[@]}") ||
			die "enrolment failed (is the code still valid? a code works once, for 24 h)"
		sysd restart presentie-sync.service
	fi
	for f in "$DB" "$DB-wal" "$DB-shm"; do
		[ -e "$f" ] && fix_meta "$f" 0600 presentie:presentie
	done
fi

# --- 11. start ---------------------------------------------------------------------------
if systemd_running && [ "$DRY_RUN" = 0 ]; then
	if [ "$CHANGES" -gt 0 ]; then
		systemctl restart presentie-kiosk.service presentie-sync.service ||
			warn "start failed: journalctl -u presentie-kiosk -u presentie-sync"
	else
		systemctl start presentie-kiosk.service presentie-sync.service 2>/dev/null || true
	fi
elif [ -z "$ROOT" ] && [ "$DRY_RUN" = 0 ]; then
	note "no running systemd (chroot or image): units enabled, they start at boot"
fi
finish install-kiosk
