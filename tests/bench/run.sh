#!/usr/bin/env bash
# run.sh — `make bench`: run every tests/bench/*.sh and write docs/BENCHMARKS.md.
# Each bench script prints Markdown (a short table of figures against the
# budget of DESIGN.md / the issues); this script adds the machine and the date.
# Usage: tests/bench/run.sh BUILD_DIR [PATTERN]
set -u
BUILD=$(cd "${1:-build/release}" && pwd)
PATTERN=${2:-}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=$BUILD/bench-out
DOC=$ROOT/docs/BENCHMARKS.md
mkdir -p "$OUT"

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)
mem=$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)
tmp=$(mktemp)
{
	echo "# Benchmarks"
	echo
	echo "Written by \`make bench\` (tests/bench/run.sh); do not edit by hand."
	echo
	echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "- machine: ${cpu:-unknown CPU}, $(nproc) cores, $mem, $(uname -sr)"
	echo "- build: release (-O2), commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
	echo
} >"$tmp"

status=0
for b in "$ROOT"/tests/bench/*.sh; do
	name=$(basename "$b" .sh)
	[ "$name" = run ] && continue
	[ -n "$PATTERN" ] && [[ $name != *$PATTERN* ]] && continue
	echo "== bench $name" >&2
	if (cd "$ROOT" && BUILD=$BUILD OUT=$OUT/$name timeout 1200 bash "$b") >"$OUT/$name.md" 2>"$OUT/$name.log"; then
		cat "$OUT/$name.md" >>"$tmp"
	else
		status=1
		{ echo "## $name"; echo; echo "failed: see build output \`$OUT/$name.log\`"; } >>"$tmp"
		tail -n 20 "$OUT/$name.log" >&2
	fi
	echo >>"$tmp"
done
mv "$tmp" "$DOC"
echo "wrote $DOC" >&2
exit $status
