#!/usr/bin/env bash
# install-hub.sh — a Presentie hub on Debian bookworm: PostgreSQL (database
# and role; the password in the root-only /etc/presentie/hub.env), the hub as
# a hardened systemd service on 127.0.0.1, nginx as the TLS reverse proxy
# (self-signed certificate for a first start), a nightly pg_dump with a
# systemd timer, log rotation.
# Idempotent: a second run reports "nothing to change". --dry-run changes
# nothing. --root DIR writes only below DIR (no packages, no systemctl, no
# users, no database). Without a running systemd (a chroot) it starts the
# PostgreSQL cluster itself for the database step and stops it again.
# Must not: print the database password; replace a working password or
# certificate; drop or alter data. See docs/DEPLOY.md.
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=provisioning/lib/common.sh
. "$HERE/lib/common.sh"

usage() {
	cat <<'EOF'
usage: install-hub.sh [options]
  --server-name NAME   the hub's DNS name (default: hostname -f)
  --listen ADDR:PORT   where the hub listens behind nginx (default 127.0.0.1:8080)
  --cert FILE --key FILE   use this certificate (e.g. Let's Encrypt) instead
                       of the self-signed one
  --backup-keep N      nightly dumps to keep (default 14)
  --prebuilt DIR       programs already built from this tree (make BUILD=DIR)
  --dry-run            print what would change; change nothing
  --root DIR           write below DIR only (no packages/systemctl/users/database)
EOF
}

SERVER_NAME='' LISTEN=127.0.0.1:8080 CERT='' KEY='' KEEP=14 PREBUILT=''
SRC=$(cd "$HERE/.." && pwd)
PREFIX=/usr/local
PGDB=presentie PGROLE=presentie_hub PGPORT=5432

while [ $# -gt 0 ]; do
	case $1 in
	--server-name) SERVER_NAME=${2:?--server-name NAME}; shift ;;
	--listen) LISTEN=${2:?--listen ADDR:PORT}; shift ;;
	--cert) CERT=${2:?--cert FILE}; shift ;;
	--key) KEY=${2:?--key FILE}; shift ;;
	--backup-keep) KEEP=${2:?--backup-keep N}; shift ;;
	--prebuilt) PREBUILT=$(cd "${2:?--prebuilt DIR}" && pwd) || die "no such folder: $2"; shift ;;
	--dry-run) DRY_RUN=1 ;;
	--root) ROOT=$(cd "${2:?--root DIR}" && pwd) || die "no such folder: $2"; shift ;;
	-h|--help) usage; exit 0 ;;
	*) usage >&2; die "unknown option: $1" ;;
	esac
	shift
done

[ "$(id -u)" -eq 0 ] || [ -n "$ROOT" ] || [ "$DRY_RUN" = 1 ] || die "run as root (sudo)"
[ -n "$SERVER_NAME" ] || SERVER_NAME=$(hostname -f 2>/dev/null || hostname)
[[ $SERVER_NAME =~ ^[A-Za-z0-9]([A-Za-z0-9.-]{0,252})$ ]] || die "--server-name: a DNS name"
[[ $LISTEN =~ ^(127\.[0-9]+\.[0-9]+\.[0-9]+|\[::1\]):[0-9]{1,5}$ ]] ||
	die "--listen: a loopback ADDR:PORT (nginx is the public side)"
[[ $KEEP =~ ^[1-9][0-9]{0,3}$ ]] || die "--backup-keep: 1..9999"
if [ -n "$CERT$KEY" ]; then
	{ [ -f "$CERT" ] && [ -f "$KEY" ]; } || die "--cert and --key: both, existing files"
fi
[ -n "$PREBUILT" ] || [ -f "$SRC/Makefile" ] || die "no Makefile in $SRC: run from a clone"

say "presentie hub install${ROOT:+ into $ROOT}$([ "$DRY_RUN" = 1 ] && echo ' (dry run)')"

# --- 1. packages ---------------------------------------------------------------------
ensure_packages postgresql postgresql-client nginx openssl logrotate curl "${RUNTIME_PKGS[@]}"

# --- 2. the programs -------------------------------------------------------------------
install_programs "$SRC" "$PREFIX" "$PREBUILT"
put_file "$SRC/docs/DEPLOY.md" "$PREFIX/share/doc/presentie/DEPLOY.md" 0644 root:root || true
put_file "$HERE/sbin/presentie-hub-backup" "$PREFIX/sbin/presentie-hub-backup" 0755 root:root || true
put_file "$HERE/sbin/presentie-hub-restore" "$PREFIX/sbin/presentie-hub-restore" 0755 root:root || true
put_file "$HERE/sbin/presentie-hub-admin" "$PREFIX/sbin/presentie-hub-admin" 0755 root:root || true

# --- 3. user and folders ----------------------------------------------------------------
ensure_system_user presentie-hub /var/lib/presentie-hub
ensure_dir /etc/presentie 0755 root:root
ensure_dir /var/lib/presentie-hub 0750 presentie-hub:presentie-hub
ensure_dir /var/backups/presentie-hub 0700 postgres:postgres
ensure_dir /var/log/presentie-hub 0750 www-data:adm
ensure_dir /var/www/letsencrypt 0755 root:root

# --- 4. the secret: PostgreSQL password in a root-only file --------------------------------
# systemd reads EnvironmentFile= as root; libpq takes PGPASSWORD from the
# environment, so the password is never on a command line.
ENVF=/etc/presentie/hub.env
PASSWORD=''
if [ -f "$(r $ENVF)" ]; then
	PASSWORD=$(sed -n 's/^PGPASSWORD=//p' "$(r $ENVF)")
fi
NEW_PASSWORD=0
if [ -z "$PASSWORD" ]; then
	PASSWORD=$(head -c 24 /dev/urandom | base64 | tr -d '/+=\n')
	NEW_PASSWORD=1
fi
{
	echo "# hub.env — read by presentie-hub.service (root only: it holds the password)."
	echo "PRESENTIE_HUB_DB=postgresql://$PGROLE@127.0.0.1:$PGPORT/$PGDB"
	echo "PRESENTIE_HUB_LISTEN=$LISTEN"
	echo "PGPASSWORD=$PASSWORD"
} | put_text $ENVF 0600 root:root || true

# --- 5. PostgreSQL: role and database --------------------------------------------------------
# The password goes to psql on standard input, not on its command line.
pg_q() { runuser -u postgres -- psql -X -v ON_ERROR_STOP=1 -qtA -d postgres "$@"; }
if [ -n "$ROOT" ]; then
	note "--root: database and role not created"
elif [ "$DRY_RUN" = 1 ]; then
	if ! pg_q -c "SELECT 1 FROM pg_roles WHERE rolname = '$PGROLE'" 2>/dev/null | grep -q 1; then
		changed "create PostgreSQL role $PGROLE and database $PGDB"
	fi
else
	STARTED_PG=''
	if ! pg_q -c 'SELECT 1' >/dev/null 2>&1; then
		if systemd_running; then
			systemctl start postgresql || die "PostgreSQL does not start: journalctl -u postgresql"
		else
			# No systemd (a chroot): start the cluster by hand, local socket
			# only, for this step; stopped again below.
			cluster=$(pg_lsclusters -h 2>/dev/null | awk 'NR == 1 { print $1 " " $2 }')
			[ -n "$cluster" ] || die "no PostgreSQL cluster (pg_lsclusters)"
			# shellcheck disable=SC2086  # "VERSION NAME"
			pg_ctlcluster $cluster start -- -o "-c listen_addresses=''" -w ||
				die "cannot start PostgreSQL cluster $cluster"
			STARTED_PG=$cluster
		fi
		for _ in $(seq 1 50); do pg_q -c 'SELECT 1' >/dev/null 2>&1 && break; sleep 0.2; done
	fi
	if ! pg_q -c "SELECT 1 FROM pg_roles WHERE rolname = '$PGROLE'" | grep -q 1; then
		changed "create PostgreSQL role $PGROLE"
		pg_q <<<"CREATE ROLE $PGROLE LOGIN PASSWORD '$PASSWORD'" || die "CREATE ROLE failed"
	elif [ "$NEW_PASSWORD" = 1 ]; then
		changed "new password for PostgreSQL role $PGROLE (hub.env was missing)"
		pg_q <<<"ALTER ROLE $PGROLE LOGIN PASSWORD '$PASSWORD'" || die "ALTER ROLE failed"
	fi
	if ! pg_q -c "SELECT 1 FROM pg_database WHERE datname = '$PGDB'" | grep -q 1; then
		changed "create PostgreSQL database $PGDB"
		pg_q -c "CREATE DATABASE $PGDB OWNER $PGROLE ENCODING 'UTF8' TEMPLATE template0" ||
			die "CREATE DATABASE failed"
	fi
	if [ -n "$STARTED_PG" ]; then
		# shellcheck disable=SC2086
		pg_ctlcluster $STARTED_PG stop -m fast || warn "could not stop PostgreSQL $STARTED_PG"
	fi
fi

# --- 6. systemd units -----------------------------------------------------------------------
UNITS_CHANGED=0
for u in presentie-hub.service presentie-hub-backup.service presentie-hub-backup.timer; do
	put_file "$HERE/systemd/$u" "/etc/systemd/system/$u" 0644 root:root && UNITS_CHANGED=1
done
printf 'PRESENTIE_DB=%s\nPRESENTIE_BACKUP_KEEP=%s\n' "$PGDB" "$KEEP" |
	put_text /etc/presentie/backup.env 0644 root:root && UNITS_CHANGED=1
[ "$UNITS_CHANGED" = 1 ] && sysd daemon-reload
enable_unit presentie-hub.service
enable_unit presentie-hub-backup.timer
put_file "$HERE/journald/60-presentie-hub.conf" /etc/systemd/journald.conf.d/60-presentie-hub.conf 0644 root:root &&
	sysd restart systemd-journald
put_file "$HERE/nginx/logrotate-presentie-hub" /etc/logrotate.d/presentie-hub 0644 root:root || true

# --- 7. TLS and nginx -----------------------------------------------------------------------
if [ -z "$CERT" ]; then
	CERT=/etc/presentie/tls/hub.crt KEY=/etc/presentie/tls/hub.key
	ensure_dir /etc/presentie/tls 0755 root:root
	if [ ! -f "$(r $CERT)" ] || [ ! -f "$(r $KEY)" ]; then
		changed "self-signed certificate for $SERVER_NAME in /etc/presentie/tls (replace: docs/DEPLOY.md)"
		if [ "$DRY_RUN" = 0 ]; then
			(umask 077 && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
				-nodes -days 825 -subj "/CN=$SERVER_NAME" \
				-addext "subjectAltName=DNS:$SERVER_NAME" \
				-keyout "$(r $KEY)" -out "$(r $CERT)" 2>/dev/null) || die "openssl req failed"
			chmod 0644 "$(r $CERT)"
		fi
	fi
	[ -e "$(r $KEY)" ] && fix_meta "$(r $KEY)" 0600 root:root
fi
NGINX_CHANGED=0
put_template "$HERE/nginx/presentie-hub.conf" /etc/nginx/sites-available/presentie-hub 0644 root:root \
	"SERVER_NAME=$SERVER_NAME" "UPSTREAM=$LISTEN" "CERT=$CERT" "KEY=$KEY" && NGINX_CHANGED=1
ensure_symlink /etc/nginx/sites-enabled/presentie-hub /etc/nginx/sites-available/presentie-hub && NGINX_CHANGED=1
# Debian's "Welcome to nginx" site would answer for unknown names on port 80.
remove_path /etc/nginx/sites-enabled/default && NGINX_CHANGED=1
if [ "$NGINX_CHANGED" = 1 ] && [ -z "$ROOT" ] && [ "$DRY_RUN" = 0 ]; then
	nginx -t -q || die "nginx -t failed: see the messages above"
	sysd reload-or-restart nginx
fi

# --- 8. start ----------------------------------------------------------------------------------
if systemd_running && [ "$DRY_RUN" = 0 ]; then
	if [ "$CHANGES" -gt 0 ]; then
		systemctl restart presentie-hub.service || warn "start failed: journalctl -u presentie-hub"
	fi
	systemctl start presentie-hub.service presentie-hub-backup.timer nginx 2>/dev/null || true
elif [ -z "$ROOT" ] && [ "$DRY_RUN" = 0 ]; then
	note "no running systemd (chroot or image): units enabled, they start at boot"
fi
finish install-hub
