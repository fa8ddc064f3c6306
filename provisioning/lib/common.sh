# shellcheck shell=bash
# common.sh — shared functions of install-kiosk.sh and install-hub.sh (sourced).
# Owns: the change-tracking primitives every step goes through (a file, a
# directory, a symlink, a user, a package, a unit), so that a run reports
# each change it made ("changed: ...") or, with --dry-run, would make
# ("would: ..."), and a second run reports "nothing to change".
# With ROOT set (--root DIR) every path is prefixed with DIR and nothing
# outside it is touched: no apt-get, no systemctl, no useradd, no enrolment.
# Must not: print secrets (passwords, tokens, enrolment codes).

ROOT=${ROOT:-}
DRY_RUN=${DRY_RUN:-0}
CHANGES=0
NOTES=()

say()  { printf '%s\n' "$*"; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die()  { printf 'error: %s\n' "$*" >&2; exit 1; }

# changed WHAT: count and report one change (made, or with --dry-run to be made).
changed() {
	CHANGES=$((CHANGES + 1))
	if [ "$DRY_RUN" = 1 ]; then say "would: $*"; else say "changed: $*"; fi
}

# note WHAT: something skipped or left to the operator; printed at the end.
note() { NOTES+=("$*"); }

# r PATH: PATH inside the target root.
r() { printf '%s%s' "$ROOT" "$1"; }

# finish NAME: the closing lines of a run.
finish() {
	local n
	for n in "${NOTES[@]+"${NOTES[@]}"}"; do say "note: $n"; done
	if [ "$CHANGES" -eq 0 ]; then
		say "$1: nothing to change"
	elif [ "$DRY_RUN" = 1 ]; then
		say "$1: $CHANGES change(s) would be made (dry run: nothing was changed)"
	else
		say "$1: $CHANGES change(s) made"
	fi
}

# in_chroot: true when / is not the root of PID 1 (a chroot or a build root).
in_chroot() {
	[ "$(stat -c %d:%i / 2>/dev/null)" != "$(stat -c %d:%i /proc/1/root/. 2>/dev/null)" ]
}

# systemd_running: a live systemd manages this system (not --root, not a chroot).
systemd_running() {
	[ -z "$ROOT" ] && [ -d /run/systemd/system ] && ! in_chroot
}

# live: actions on the running system are allowed (real run, no --root).
live() { [ "$DRY_RUN" = 0 ] && [ -z "$ROOT" ]; }

# --- owners -------------------------------------------------------------------
# ids_of USER:GROUP: "uid:gid" from the target root's passwd/group, or "" if
# either does not exist there (then ownership is left as it is).
ids_of() {
	local user=${1%%:*} group=${1#*:} uid gid
	uid=$(awk -F: -v n="$user" '$1 == n { print $3; exit }' "$(r /etc/passwd)" 2>/dev/null)
	gid=$(awk -F: -v n="$group" '$1 == n { print $3; exit }' "$(r /etc/group)" 2>/dev/null)
	[ -n "$uid" ] && [ -n "$gid" ] && printf '%s:%s' "$uid" "$gid"
}

# fix_meta PATH MODE OWNER [quiet]: mode and owner of an existing PATH (in
# the root). "quiet": part of a change already reported (a new file).
fix_meta() {
	local p=$1 mode=$2 owner=$3 quiet=${4:-} ids cur
	cur=$(stat -c '%a' "$p")
	if [ "$cur" != "${mode#0}" ]; then
		[ -n "$quiet" ] || changed "mode $mode on ${p#"$ROOT"} (was $cur)"
		[ "$DRY_RUN" = 1 ] || chmod "$mode" "$p"
	fi
	ids=$(ids_of "$owner") || ids=
	if [ -z "$ids" ]; then
		[ "$owner" = root:root ] || note "owner $owner of ${p#"$ROOT"} not set (no such user/group in the root yet)"
		return 0
	fi
	cur=$(stat -c '%u:%g' "$p")
	if [ "$cur" != "$ids" ]; then
		[ -n "$quiet" ] || changed "owner $owner on ${p#"$ROOT"}"
		[ "$DRY_RUN" = 1 ] || chown "$ids" "$p"
	fi
}

# --- files ----------------------------------------------------------------------
# ensure_dir PATH MODE OWNER
ensure_dir() {
	local p; p=$(r "$1")
	if [ ! -d "$p" ]; then
		changed "create directory $1 ($2 $3)"
		[ "$DRY_RUN" = 1 ] && return 0
		mkdir -p "$p" || die "cannot create $1"
		fix_meta "$p" "$2" "$3" quiet
		return 0
	fi
	fix_meta "$p" "$2" "$3"
}

# put_file SRC DEST MODE OWNER: DEST (in the root) gets SRC's content.
# Returns 0 if DEST changed (or would), 1 if it was already right.
put_file() {
	local src=$1 dest=$2 mode=$3 owner=$4 p before=$CHANGES
	p=$(r "$dest")
	if [ ! -e "$p" ] && [ ! -L "$p" ]; then
		changed "install $dest ($mode $owner)"
		if [ "$DRY_RUN" = 0 ]; then
			mkdir -p "$(dirname "$p")"
			install -m "$mode" "$src" "$p" || die "cannot write $dest"
			fix_meta "$p" "$mode" "$owner" quiet
		fi
		return 0
	fi
	if [ -L "$p" ] || ! cmp -s "$src" "$p"; then
		changed "update $dest"
		if [ "$DRY_RUN" = 0 ]; then
			rm -f "$p"
			install -m "$mode" "$src" "$p" || die "cannot write $dest"
		fi
	fi
	if [ -e "$p" ]; then fix_meta "$p" "$mode" "$owner"; fi
	[ "$CHANGES" -ne "$before" ]
}

# put_text DEST MODE OWNER  (content on stdin): like put_file.
put_text() {
	local tmp rc
	tmp=$(mktemp) || die "mktemp failed"
	cat >"$tmp"
	put_file "$tmp" "$@"
	rc=$?
	rm -f "$tmp"
	return "$rc"
}

# put_template SRC DEST MODE OWNER KEY=VALUE...: SRC with each @KEY@ replaced.
put_template() {
	local src=$1 dest=$2 mode=$3 owner=$4 text kv
	shift 4
	text=$(cat "$src") || die "cannot read $src"
	for kv in "$@"; do text=${text//@${kv%%=*}@/${kv#*=}}; done
	printf '%s\n' "$text" | put_text "$dest" "$mode" "$owner"
}

# ensure_symlink DEST TARGET: DEST (in the root) points at TARGET (literal).
ensure_symlink() {
	local p; p=$(r "$1")
	[ -L "$p" ] && [ "$(readlink "$p")" = "$2" ] && return 1
	changed "link $1 -> $2"
	[ "$DRY_RUN" = 1 ] && return 0
	mkdir -p "$(dirname "$p")"
	rm -f "$p"
	ln -s "$2" "$p"
}

# remove_path PATH: remove a file or symlink (in the root) if present.
remove_path() {
	local p; p=$(r "$1")
	[ -e "$p" ] || [ -L "$p" ] || return 1
	changed "remove $1"
	[ "$DRY_RUN" = 1 ] || rm -f "$p"
}

# ensure_line FILE LINE: append LINE to FILE (in the root) unless present.
ensure_line() {
	local p; p=$(r "$1")
	[ -f "$p" ] || return 1
	grep -qxF -- "$2" "$p" && return 1
	changed "add '$2' to $1"
	[ "$DRY_RUN" = 1 ] || printf '%s\n' "$2" >>"$p"
}

# ensure_cmdline_word FILE WORD: the one-line kernel command line FILE (in
# the root) carries WORD (key=value replaced if the key is there).
ensure_cmdline_word() {
	local p line key new w out=()
	p=$(r "$1")
	[ -f "$p" ] || return 1
	line=$(head -n 1 "$p")
	key=${2%%=*}
	for w in $line; do
		[ "${w%%=*}" = "$key" ] && continue
		out+=("$w")
	done
	out+=("$2")
	new="${out[*]}"
	# Same words in any order: nothing to do.
	[ "$(tr ' ' '\n' <<<"$line" | sort)" = "$(tr ' ' '\n' <<<"$new" | sort)" ] && return 1
	changed "kernel command line $1: $2"
	[ "$DRY_RUN" = 1 ] || printf '%s\n' "$new" >"$p"
}

# --- users and packages -----------------------------------------------------------
group_exists() { [ -n "$(awk -F: -v n="$1" '$1 == n' "$(r /etc/group)" 2>/dev/null)" ]; }
user_exists()  { [ -n "$(awk -F: -v n="$1" '$1 == n' "$(r /etc/passwd)" 2>/dev/null)" ]; }

# ensure_system_user NAME HOME [GROUP...]: a system user with its own group,
# no login shell, member of each GROUP that exists (others noted; a GROUP
# written "NAME?" is optional: skipped silently if it does not exist).
ensure_system_user() {
	local name=$1 home=$2 g have
	shift 2
	if ! user_exists "$name"; then
		changed "create system user $name"
		if live || { [ "$DRY_RUN" = 0 ] && [ -n "$ROOT" ] && [ -f "$(r /etc/passwd)" ]; }; then
			useradd ${ROOT:+--root "$ROOT"} --system --user-group --home-dir "$home" \
				--no-create-home --shell /usr/sbin/nologin "$name" || die "useradd $name failed"
		elif [ "$DRY_RUN" = 0 ]; then
			note "user $name not created: the root has no /etc/passwd"
			return 0
		fi
	fi
	for g in "$@"; do
		if ! group_exists "${g%\?}"; then
			[[ $g == *\? ]] || note "group $g does not exist here; $name not added to it"
			continue
		fi
		g=${g%\?}
		have=$(awk -F: -v n="$g" '$1 == n { print "," $4 "," }' "$(r /etc/group)")
		[[ $have == *",$name,"* ]] && continue
		changed "add $name to group $g"
		[ "$DRY_RUN" = 1 ] || usermod ${ROOT:+--root "$ROOT"} -a -G "$g" "$name" ||
			die "usermod -a -G $g $name failed"
	done
}

# pkg_installed NAME: the Debian package is installed (in the root).
pkg_installed() {
	dpkg-query ${ROOT:+--admindir="$ROOT/var/lib/dpkg"} -W -f='${Status}' "$1" 2>/dev/null |
		grep -q 'install ok installed'
}

# ensure_packages NAME...: apt-get install the missing ones (one go).
ensure_packages() {
	local p missing=()
	for p in "$@"; do pkg_installed "$p" || missing+=("$p"); done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ -n "$ROOT" ]; then
		note "--root: packages not installed: ${missing[*]}"
		return 0
	fi
	changed "apt-get install ${missing[*]}"
	[ "$DRY_RUN" = 1 ] && return 0
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq || warn "apt-get update failed; trying with the package lists we have"
	apt-get install -y -qq --no-install-recommends "${missing[@]}" ||
		die "apt-get install ${missing[*]} failed"
}

# --- systemd --------------------------------------------------------------------
# enable_unit UNIT: enable it. With a running systemd through systemctl;
# otherwise (a chroot, --root) by making the [Install] WantedBy= links.
enable_unit() {
	local unit=$1 f t
	if systemd_running && [ "$DRY_RUN" = 0 ]; then
		systemctl is-enabled --quiet "$unit" 2>/dev/null && return 0
		changed "systemctl enable $unit"
		systemctl enable --quiet "$unit" || die "systemctl enable $unit failed"
		return 0
	fi
	f=$(r "/etc/systemd/system/$unit")
	[ -f "$f" ] || f=$(r "/lib/systemd/system/$unit")
	if [ ! -f "$f" ]; then
		if [ "$DRY_RUN" = 1 ] && [ -f "${HERE:-}/systemd/$unit" ]; then
			changed "enable $unit"     # ours, installed by this run
		else
			note "unit $unit not found (its package is not installed yet); not enabled"
		fi
		return 0
	fi
	while read -r t; do
		[ -n "$t" ] && { ensure_symlink "/etc/systemd/system/$t.wants/$unit" "${f#"$ROOT"}" || true; }
	done < <(sed -n 's/^WantedBy=//p' "$f" | tr ' ' '\n')
}

# mask_unit UNIT: link it to /dev/null (stop it first on a live system).
mask_unit() {
	local p; p=$(r "/etc/systemd/system/$1")
	[ -L "$p" ] && [ "$(readlink "$p")" = /dev/null ] && return 0
	if systemd_running && [ "$DRY_RUN" = 0 ]; then
		systemctl disable --now --quiet "$1" 2>/dev/null || true
	fi
	ensure_symlink "/etc/systemd/system/$1" /dev/null
}

# sysd ARGS...: systemctl on a live system; a note otherwise.
sysd() {
	if systemd_running && [ "$DRY_RUN" = 0 ]; then
		systemctl "$@" || warn "systemctl $* failed"
	elif [ -z "$ROOT" ] && [ "$DRY_RUN" = 0 ]; then
		note "no running systemd: skipped 'systemctl $*'"
	fi
}

# --- programs -----------------------------------------------------------------------
# Every program links every library in the Makefile's PKGS (no --as-needed),
# so kiosk and hub need the same runtime packages.
# shellcheck disable=SC2034  # used by the scripts that source this file
RUNTIME_PKGS=(libsdl2-2.0-0 libsdl2-ttf-2.0-0 libsdl2-image-2.0-0 libnfc6 libsqlite3-0
	libcurl4 libmicrohttpd12 libjansson4 libsodium23 libpq5 fonts-noto-core tzdata
	ca-certificates make)

# install_programs SRC PREFIX [BUILD]: `make install` into a staging folder,
# then each file into PREFIX (in the root) if it differs. With BUILD (a
# folder of programs built from SRC elsewhere) nothing is compiled here.
install_programs() {
	local src=$1 prefix=$2 build=${3:-} stage f rel progs
	if [ -n "$build" ]; then
		# shellcheck disable=SC2016  # $($*) is make syntax
		progs=$(make -s --no-print-directory -C "$src" --eval 'print-%: ; @echo $($*)' \
			print-PROGRAMS BUILD="$build" 2>/dev/null)
		if [ -z "$progs" ]; then
			note "no program has its main.c in this tree yet: nothing to install"
			return 0
		fi
	fi
	stage=$(mktemp -d) || die "mktemp failed"
	if [ -n "$build" ]; then
		# -o all: take the prebuilt programs as they are (no deps, no compile).
		make -s -C "$src" -o all install BUILD="$build" PREFIX="$prefix" \
			DESTDIR="$stage" >/dev/null || die "make install (BUILD=$build) failed"
	elif [ "$DRY_RUN" = 1 ]; then
		changed "build the programs in $src (make) and make install into $prefix"
		rm -rf "$stage"
		return 0
	else
		say "building the programs (make; installs missing build packages) ..."
		make -s -C "$src" >/dev/null || die "make failed in $src"
		make -s -C "$src" install PREFIX="$prefix" DESTDIR="$stage" >/dev/null ||
			die "make install failed"
	fi
	while IFS= read -r -d '' f; do
		rel=${f#"$stage"}
		if [ -x "$f" ] && [[ $rel == */bin/* ]]; then
			put_file "$f" "$rel" 0755 root:root || true
		else
			put_file "$f" "$rel" 0644 root:root || true
		fi
	done < <(find "$stage" -type f -print0 | sort -z)
	rm -rf "$stage"
}
