#!/usr/bin/env bash
# deps.sh — install the Debian packages Presentie needs, only those missing.
# Usage: provisioning/deps.sh [build|run|test|bench|lint]...  (idempotent, quiet when all is there)
# It asks pkg-config and `command -v` first; apt-get runs only for what is missing.
set -eu

want_pc=()      # "pkgconfig-name:debian-package"
want_cmd=()     # "command:debian-package"
want_file=()    # "path:debian-package"
missing=()      # Debian packages to install

build() {
	want_pc+=(sdl2:libsdl2-dev SDL2_ttf:libsdl2-ttf-dev SDL2_image:libsdl2-image-dev
		libnfc:libnfc-dev sqlite3:libsqlite3-dev libcurl:libcurl4-openssl-dev
		libmicrohttpd:libmicrohttpd-dev jansson:libjansson-dev libsodium:libsodium-dev
		libpq:libpq-dev cmocka:libcmocka-dev
		libqrencode:libqrencode-dev cairo:libcairo2-dev libzip:libzip-dev
		harfbuzz:libharfbuzz-dev freetype2:libfreetype-dev)
	want_pc+=(expat:libexpat1-dev)   # xlsx import (sync/common/xlsx.c)
	want_pc+=(alsa:libasound2-dev)   # the kiosk's chime without SDL audio (kiosk/sound.c)
	want_cmd+=(cc:gcc make:make pkg-config:pkg-config msgfmt:gettext)
	want_file+=(/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf:fonts-noto-core
		/usr/share/zoneinfo/Europe/Amsterdam:tzdata)
}
run() {
	build
	want_cmd+=(Xvfb:xvfb xauth:xauth sqlite3:sqlite3 curl:curl)
}
test_() {
	run
	want_cmd+=(valgrind:valgrind nfc-list:libnfc-bin nfc-poll:libnfc-examples)
	want_file+=(/usr/lib/postgresql/15/bin/initdb:postgresql-15)
	want_cmd+=(python3:python3 shellcheck:shellcheck pdftoppm:poppler-utils)
	# real parsers and servers the issue-12 tests talk to: iCalendar feeds,
	# a local SMTP server, .xlsx files written as Excel does
	want_file+=(/usr/lib/python3/dist-packages/icalendar/__init__.py:python3-icalendar
		/usr/lib/python3/dist-packages/aiosmtpd/__init__.py:python3-aiosmtpd
		/usr/lib/python3/dist-packages/openpyxl/__init__.py:python3-openpyxl)
	# tests/integration/prov_static.sh and tests/provisioning/run.sh
	want_cmd+=(systemd-analyze:systemd ansible-playbook:ansible-core debootstrap:debootstrap)
	# ASan/UBSan runtimes: gcc prints a bare name when the library is missing.
	local asan
	asan=$(gcc -print-file-name=libasan.so 2>/dev/null || echo libasan.so)
	[ "${asan#/}" != "$asan" ] || missing+=(libgcc-12-dev)
	# Dashboard browser tests: Debian's Chromium driven by playwright-core
	# (npm ci in tests/browser; no browser is downloaded).
	want_cmd+=(chromium:chromium node:nodejs npm:npm)
}
bench() {
	test_
	want_cmd+=(bc:bc wrk:wrk)
	want_file+=(/usr/bin/time:time)
	# the shipped nginx config in front of two hubs (tests/bench/scale_bench.sh)
	want_cmd+=(nginx:nginx-light)
}
lint() {
	build
	want_cmd+=(cppcheck:cppcheck clang-tidy:clang-tidy shellcheck:shellcheck)
}

[ $# -eq 0 ] && set -- build
for what in "$@"; do
	case $what in
	build) build ;; run) run ;; test) test_ ;; bench) bench ;; lint) lint ;;
	*) echo "deps.sh: unknown set '$what'" >&2; exit 2 ;;
	esac
done

for pair in "${want_pc[@]}"; do
	pkg-config --exists "${pair%%:*}" 2>/dev/null || missing+=("${pair#*:}")
done
for pair in "${want_cmd[@]}"; do
	command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
done
for pair in "${want_file[@]}"; do
	[ -e "${pair%%:*}" ] || missing+=("${pair#*:}")
done
[ ${#missing[@]} -eq 0 ] && exit 0

# Deduplicate, then install in one go.
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
echo "deps: installing ${missing[*]}" >&2
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: not root; run: sudo apt-get install ${missing[*]}" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
